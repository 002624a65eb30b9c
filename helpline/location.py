"""Where a shared location pin is: a UK nation (two near a border), a Crown Dependency, or abroad.

The table (data/locations/uk.txt, from GeoNames) lists populated places and the region each is
in. A pin is in the region of its nearest place; other regions whose nearest place is almost as
near (a border) are named too. Outside the box round the British Isles, or far from every place
(the open sea), a pin is abroad. Places of Ireland and the near continent are in the table, so a
pin in Dublin or Calais finds a place abroad before Holyhead or Dover.

The table is read on the first pin, once per process: texts and calls never pay for it.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Collection, Sequence
from pathlib import Path
from types import MappingProxyType

from helpline.match import Intent, Match
from helpline.postcode import Place

DEFAULT_TABLE = Path(__file__).resolve().parent.parent / "data" / "locations" / "uk.txt"
ABROAD = "abroad"
HOW = "location"

# A pin whose nearest place is farther than this is on the open sea or off the map: abroad.
# (The far north-west Highlands have places of 500 people 65 km apart.)
FAR_KM = 75.0
# Near a border: another region whose nearest place is at most BORDER_KM farther than the
# nearest place is named too; where places are sparse, up to twice as far, but never more than
# BORDER_MAX_KM farther.
BORDER_KM = 8.0
BORDER_SHARE = 1.0
BORDER_MAX_KM = 20.0

# A coordinate as WhatsApp sends it: a plain decimal number, nothing else (no exponent, no
# "nan", no underscores, which float() would take), and not absurdly long.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,3}(?:\.[0-9]{0,20})?|\.[0-9]{1,20})")
MAX_LENGTH = 32

_KM_PER_DEGREE = 111.2
# Grid cells of this size in degrees (at least 27 km a side as far north as the box goes).
# A pin's places are looked for in _REACH cells each way: far enough for any place within
# FAR_KM and its border margin.
_CELL_LAT = 0.25
_CELL_LON = 0.5
_CELL_MIN_KM = min(_CELL_LAT, _CELL_LON * math.cos(math.radians(61))) * _KM_PER_DEGREE
_REACH = math.ceil((FAR_KM + BORDER_MAX_KM) / _CELL_MIN_KM)


class LocationTableError(ValueError):
    """The location table cannot be used (a pin then gets the app's fallback)."""


class LocationTable:
    """Places by grid cell, built once and only read afterwards."""

    def __init__(
        self,
        regions: Sequence[Place],
        points: Sequence[tuple[float, float, int]],
        box: tuple[float, float, float, float],
    ) -> None:
        keys = [p.key for p in regions]
        if ABROAD not in keys:
            raise LocationTableError(f"no region {ABROAD!r}")
        self.regions = tuple(regions)
        self.abroad = regions[keys.index(ABROAD)]
        self.box = box
        cells: dict[tuple[int, int], list[tuple[float, float, int]]] = {}
        for latitude, longitude, region in points:
            cells.setdefault(_cell(latitude, longitude), []).append((latitude, longitude, region))
        self._cells = MappingProxyType({cell: tuple(found) for cell, found in cells.items()})

    @classmethod
    def load(cls, path: Path | str = DEFAULT_TABLE) -> LocationTable:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise LocationTableError(f"{path}: cannot be read ({type(exc).__name__})") from None
        regions: list[Place] = []
        points: list[tuple[float, float, int]] = []
        box: tuple[float, float, float, float] | None = None
        for number, line in enumerate(lines, 1):
            if not line or line.startswith("#"):
                continue
            try:
                if line.startswith("region "):
                    _, key, label = line.split(" ", 2)
                    regions.append(Place(key, label))
                elif line.startswith("box "):
                    south, north, west, east = (float(v) for v in line.split()[1:])
                    box = (south, north, west, east)
                else:
                    latitude, longitude = (float(v) for v in line.split())
                    if not regions or not _valid(latitude, longitude):
                        raise ValueError
                    points.append((latitude, longitude, len(regions) - 1))
            except ValueError:
                raise LocationTableError(f"{path}, line {number}: cannot be read") from None
        if box is None or not points:
            raise LocationTableError(f"{path}: needs a box line and places")
        try:
            return cls(regions, points, box)
        except LocationTableError as exc:
            raise LocationTableError(f"{path}: {exc}") from None

    def regions_at(self, latitude: float, longitude: float) -> tuple[Place, ...]:
        """The region of the nearest place first, then any other almost as near (a border).
        Abroad alone when outside the box or far from every place."""
        south, north, west, east = self.box
        if not (south <= latitude <= north and west <= longitude <= east):
            return (self.abroad,)
        row, column = _cell(latitude, longitude)
        for reach in (1, _REACH):  # the next cells are enough unless places are sparse
            by_distance = self._nearest(latitude, longitude, row, column, reach)
            if not by_distance:
                continue
            closest = by_distance[0][0]
            within = closest + max(BORDER_KM, min(closest * BORDER_SHARE, BORDER_MAX_KM))
            if within <= reach * _CELL_MIN_KM:
                break
        if not by_distance or closest > FAR_KM:
            return (self.abroad,)
        return tuple(self.regions[region] for distance, region in by_distance if distance <= within)

    def _nearest(
        self, latitude: float, longitude: float, row: int, column: int, reach: int
    ) -> list[tuple[float, int]]:
        """(km, region) of each region's nearest place in the cells within `reach`, nearest first."""
        nearest: dict[int, float] = {}  # region -> distance of its nearest place, squared
        scale = math.cos(math.radians(latitude))
        for i in range(row - reach, row + reach + 1):
            for j in range(column - reach, column + reach + 1):
                for lat, lon, region in self._cells.get((i, j), ()):
                    dy, dx = lat - latitude, (lon - longitude) * scale
                    squared = dy * dy + dx * dx
                    if squared < nearest.get(region, math.inf):
                        nearest[region] = squared
        return sorted((math.sqrt(d) * _KM_PER_DEGREE, region) for region, d in nearest.items())


def _cell(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude / _CELL_LAT), math.floor(longitude / _CELL_LON)


def _valid(latitude: float, longitude: float) -> bool:
    return -90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0


def coordinates(latitude: str | None, longitude: str | None) -> tuple[float, float] | None:
    """The pin's latitude and longitude, or None when either is missing, malformed or impossible
    (out of range, or exactly 0,0: what a phone sends when it has no fix)."""
    parsed: list[float] = []
    for text in (latitude, longitude):
        if text is None or len(text) > MAX_LENGTH:
            return None
        text = text.strip()
        if not _DECIMAL.fullmatch(text) or not any(c.isdigit() for c in text):
            return None
        parsed.append(float(text))
    lat, lon = parsed
    if not _valid(lat, lon) or (lat == 0.0 and lon == 0.0):
        return None
    return lat, lon


@functools.cache
def default_table() -> LocationTable:
    """The shipped table, read on first use: only pins need it."""
    return LocationTable.load()


def is_pin(latitude: str | None, longitude: str | None) -> bool:
    """Whether a message is a shared location (even a broken one) rather than a text."""
    return bool(latitude) or bool(longitude)


def match_pin(
    latitude: str | None,
    longitude: str | None,
    services: Collection[str],
    table: LocationTable | None = None,
) -> Match:
    """What a shared location asks for: the lines of the nation(s) it is in, where this directory
    has a service keyed by the nation; the national line where it is abroad, in a Crown
    Dependency, or in a nation this directory has no line for; the menu when the coordinates
    are broken, or when the directory has no line keyed by any nation (a local directory)."""
    pin = coordinates(latitude, longitude)
    if pin is None:
        return Match(Intent.MENU, how=HOW)
    table = table or default_table()
    if not {region.key for region in table.regions} & set(services):
        return Match(Intent.MENU, how=HOW)
    found = table.regions_at(*pin)
    lines = tuple(place.key for place in found if place.key in services)
    if lines:
        return Match(Intent.SERVICES, lines, how=HOW)
    return Match(Intent.ELSEWHERE, how=HOW, places=found[:1])
