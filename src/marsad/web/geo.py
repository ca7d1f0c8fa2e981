"""The map, drawn on the server as SVG: country borders from a registry package, events on top.

Borders come from the ``countryinfo`` package (MIT; Natural Earth 1:110m outlines, public domain),
read from its installed data files: no tile server, no CDN, no map library. The projection is
equirectangular, scaled by the cosine of the view's middle latitude so shapes near Syria and Iraq
look right; the view fits the events shown (or the Middle East when there are none).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

WIDTH = 960
# lon_min, lat_min, lon_max, lat_max of the view when no event is located
DEFAULT_VIEW = (24.0, 12.0, 62.0, 42.0)
MIN_SPAN = 3.0  # degrees: a view of one town still shows the country around it
# Colour of each ACLED event type (colour-blind-safe palette, Okabe-Ito).
TYPE_COLOURS = {
    "Battles": "#d55e00",
    "Explosions/Remote violence": "#e69f00",
    "Violence against civilians": "#cc79a7",
    "Protests": "#009e73",
    "Riots": "#0072b2",
    "Strategic developments": "#56b4e9",
}
PRECISION_NAMES = {1: "exact place", 2: "near or part of a place", 3: "region or country"}


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]
    bbox: tuple[float, float, float, float]
    label_at: tuple[float, float] | None


@lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    """Every country outline the ``countryinfo`` package ships (loaded once, on first use)."""
    from importlib.resources import files

    out: list[Country] = []
    try:
        folder = files("countryinfo") / "data"
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except (ModuleNotFoundError, FileNotFoundError):  # the map then shows events without borders
        return ()
    for entry in entries:
        if not entry.name.endswith(".json"):
            continue
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            continue
        geo = data.get("geoJSON") or {}
        code = ((data.get("ISO") or {}).get("alpha2") or "").upper()
        rings: list[tuple[tuple[float, float], ...]] = []
        for feature in geo.get("features") or []:
            geometry = feature.get("geometry") or {}
            polygons = geometry.get("coordinates") or []
            if geometry.get("type") == "Polygon":
                polygons = [polygons]
            for polygon in polygons:
                for ring in polygon:
                    pts = tuple((float(x), float(y)) for x, y, *_ in ring)
                    if len(pts) >= 3:
                        rings.append(pts)
        if not rings or not code:
            continue
        xs = [x for r in rings for x, _ in r]
        ys = [y for r in rings for _, y in r]
        latlng = data.get("latlng") or []
        label = (float(latlng[1]), float(latlng[0])) if len(latlng) == 2 else None
        out.append(Country(code, str(data.get("name") or code), tuple(rings), (min(xs), min(ys), max(xs), max(ys)),
                           label))
    return tuple(out)


@dataclass(frozen=True)
class View:
    """The part of the world shown and how it maps to SVG pixels."""

    lon_min: float
    lat_min: float
    lon_max: float
    lat_max: float

    @property
    def kx(self) -> float:
        return math.cos(math.radians((self.lat_min + self.lat_max) / 2))

    @property
    def scale(self) -> float:
        return WIDTH / ((self.lon_max - self.lon_min) * self.kx)

    @property
    def height(self) -> int:
        return max(200, round((self.lat_max - self.lat_min) * self.scale))

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return ((lon - self.lon_min) * self.kx * self.scale, (self.lat_max - lat) * self.scale)


def fit_view(points: list[tuple[float, float]]) -> View:
    """A view around ``(lon, lat)`` points with a margin, at least :data:`MIN_SPAN` degrees wide and tall."""
    if not points:
        return View(*DEFAULT_VIEW)
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    lon_min, lon_max, lat_min, lat_max = min(lons), max(lons), min(lats), max(lats)
    pad_lon = max((lon_max - lon_min) * 0.15, 0.5)
    pad_lat = max((lat_max - lat_min) * 0.15, 0.5)
    lon_min, lon_max, lat_min, lat_max = lon_min - pad_lon, lon_max + pad_lon, lat_min - pad_lat, lat_max + pad_lat
    for lo, hi, setter in ((lon_min, lon_max, "lon"), (lat_min, lat_max, "lat")):
        if hi - lo < MIN_SPAN:
            mid = (lo + hi) / 2
            lo, hi = mid - MIN_SPAN / 2, mid + MIN_SPAN / 2
        if setter == "lon":
            lon_min, lon_max = lo, hi
        else:
            lat_min, lat_max = lo, hi
    # keep the picture no taller than it is wide
    kx = math.cos(math.radians((lat_min + lat_max) / 2))
    if (lat_max - lat_min) > (lon_max - lon_min) * kx:
        extra = ((lat_max - lat_min) / kx - (lon_max - lon_min)) / 2
        lon_min, lon_max = lon_min - extra, lon_max + extra
    return View(max(-180.0, lon_min), max(-85.0, lat_min), min(180.0, lon_max), min(85.0, lat_max))


def _path(view: View, ring: tuple[tuple[float, float], ...]) -> str:
    parts = []
    for i, (lon, lat) in enumerate(ring):
        x, y = view.xy(lon, lat)
        parts.append(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}")
    return "".join(parts) + "Z"


def border_paths(view: View) -> list[dict[str, Any]]:
    """SVG paths of the countries that reach into the view, and where to write their names."""
    margin = 2.0
    out = []
    for c in countries():
        x0, y0, x1, y1 = c.bbox
        if x1 < view.lon_min - margin or x0 > view.lon_max + margin or y1 < view.lat_min - margin \
                or y0 > view.lat_max + margin:
            continue
        d = "".join(_path(view, r) for r in c.rings)
        label = None
        if c.label_at and view.lon_min < c.label_at[0] < view.lon_max and view.lat_min < c.label_at[1] < view.lat_max:
            label = view.xy(*c.label_at)
        out.append({"code": c.code, "name": c.name, "d": d, "label": label})
    return out


def marker_radius(fatalities: int) -> float:
    """Area grows with the dead: 4 px for none, 30 px at most."""
    return round(min(30.0, 4.0 + 2.2 * math.sqrt(max(0, fatalities))), 1)


def map_svg_data(markers: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything the map template draws: view size, borders and placed, coloured markers."""
    view = fit_view([(m["longitude"], m["latitude"]) for m in markers])
    placed = []
    at_point: dict[tuple[float, float], int] = {}
    for m in sorted(markers, key=lambda m: -m["fatalities"]):
        x, y = view.xy(m["longitude"], m["latitude"])
        k = at_point.get((m["longitude"], m["latitude"]), 0)
        at_point[(m["longitude"], m["latitude"])] = k + 1
        if k:  # several types at one place: set them around it so each stays visible
            angle = k * 2.4
            x, y = x + 9 * math.cos(angle), y + 9 * math.sin(angle)
        precision = m.get("worst_precision") or m.get("precision") or 1
        placed.append({**m, "x": round(x, 1), "y": round(y, 1), "r": marker_radius(m["fatalities"]),
                       "colour": TYPE_COLOURS.get(m["event_type"], "#666666"),
                       "exact": int(precision) == 1,
                       "precision_name": PRECISION_NAMES.get(int(precision), "unknown")})
    placed.sort(key=lambda m: -m["r"])  # small markers drawn last, on top
    return {"width": WIDTH, "height": view.height, "borders": border_paths(view), "markers": placed,
            "labels": place_labels(view, markers), "view": view}


def place_labels(view: View, markers: list[dict[str, Any]], most: int = 12) -> list[dict[str, Any]]:
    """Names of the places with the most events, beside their markers (at most ``most``, none overlapping)."""
    totals: dict[tuple[float, float], list[Any]] = {}
    for m in markers:
        key = (m["longitude"], m["latitude"])
        entry = totals.setdefault(key, [0, 0, m.get("location")])
        entry[0] += m["events"]
        entry[1] = max(entry[1], marker_radius(m["fatalities"]))
    out: list[dict[str, Any]] = []
    taken: list[tuple[float, float]] = []
    for (lon, lat), (events, radius, name) in sorted(totals.items(), key=lambda kv: -kv[1][0]):
        if not name or len(out) >= most:
            continue
        x, y = view.xy(lon, lat)
        x, y = x + radius + 12, y + 4
        if any(abs(x - tx) < 90 and abs(y - ty) < 14 for tx, ty in taken):
            continue
        taken.append((x, y))
        out.append({"x": round(x, 1), "y": round(y, 1), "text": name, "events": events})
    return out


__all__ = ["PRECISION_NAMES", "TYPE_COLOURS", "countries", "fit_view", "map_svg_data", "marker_radius"]
