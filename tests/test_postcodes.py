"""Texts with a UK postcode: the nation's helpline, both lines for a border district, a plain
answer for places with no local service, and the menu for what only looks like a postcode."""

from __future__ import annotations

import logging
import random
import re
import string
import tomllib
from pathlib import Path

import pytest

import routes.state
from app import create_app
from helpline.directory import DEFAULT_DIRECTORY
from helpline.postcode import DEFAULT_TABLE, PostcodeTable, PostcodeTableError
from tests.twilio_fake import TOKEN, Twilio

NUMBERS = {
    "england": "0808 2000 247",
    "wales": "0808 80 10 800",
    "scotland": "0800 027 1234",
    "northern-ireland": "0808 802 1414",
}
MENU = "menu"
ELSEWHERE = {
    "CI": "the Channel Islands",
    "IOM": "the Isle of Man",
    "BFPO": "BFPO addresses",
}
TABLE_DATA = tomllib.loads(DEFAULT_TABLE.read_text(encoding="utf-8"))
PATTERNS = {key: re.compile(place["pattern"]) for key, place in TABLE_DATA["places"].items()}

E, W, S, N = "england", "wales", "scotland", "northern-ireland"
LONDON = {"E", "EC", "N", "NW", "SE", "SW", "W", "WC"}
INWARD = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in the last two places of a postcode

# (what is texted, what it must route to)
POSTCODES = [
    # England
    ("SW1A 1AA", {E}), ("SW1A 2AA", {E}), ("EC1A 1BB", {E}), ("W1A 1AA", {E}), ("E1 6AN", {E}),
    ("N1 9GU", {E}), ("NW1 2DB", {E}), ("SE1 7PB", {E}), ("M1 1AE", {E}), ("B1 1BB", {E}),
    ("L1 8JQ", {E}), ("LS1 4AP", {E}), ("NE1 7RU", {E}), ("BS1 4ST", {E}), ("CB2 1TN", {E}),
    ("NG1 5FS", {E}), ("S1 2HH", {E}), ("PL1 2AA", {E}), ("YO1 7HH", {E}), ("EX1 1HS", {E}),
    ("CA1 1RQ", {E}), ("HR1 2DJ", {E}), ("SY1 1QH", {E}), ("CT1 2EH", {E}), ("NR1 3JU", {E}),
    # Wales
    ("CF10 1EP", {W}), ("CF10 3NQ", {W}), ("CF99 1NA", {W}), ("SA1 3SN", {W}), ("NP20 4UR", {W}),
    ("LL57 2DG", {W}), ("LL30 2RP", {W}), ("SY23 2AX", {W}), ("SY16 2AA", {W}), ("LD1 5LG", {W}),
    ("CH7 1AB", {W}), ("CH5 4BA", {W}), ("SA31 3EP", {W}),
    # Scotland
    ("EH1 1YZ", {S}), ("EH99 1SP", {S}), ("G1 1XQ", {S}), ("G2 1DY", {S}), ("AB10 1AB", {S}),
    ("DD1 1DB", {S}), ("IV1 1HY", {S}), ("KW15 1NX", {S}), ("ZE1 0LL", {S}), ("HS1 2BN", {S}),
    ("PA1 1BU", {S}), ("DG1 2BD", {S}), ("TD1 1BA", {S}), ("ML1 1AA", {S}), ("KY16 9AJ", {S}),
    ("FK8 1EJ", {S}), ("PH1 5PH", {S}),
    # Northern Ireland
    ("BT1 5GS", {N}), ("BT48 6DQ", {N}), ("BT7 1NN", {N}), ("BT60 4AA", {N}), ("BT92 6AA", {N}),
    # Border districts, postcode by postcode
    ("GL16 8PB", {W}), ("GL16 8PA", {E}), ("TD15 1BT", {S}), ("TD15 1AA", {E}),
    # Written any way
    ("cf101ep", {W}), ("Cf10  1ep", {W}), ("CF10-1EP", {W}), ("cf10 1ep.", {W}), ("eh11yz", {S}),
    # Outward codes alone
    ("CF10", {W}), ("EH1", {S}), ("BT7", {N}), ("M1", {E}), ("SW1A", {E}), ("sy23", {W}), ("EC1A", {E}),
    ("TD15", {E, S}), ("GL16", {E, W}), ("LD8", {E, W}), ("NP16", {E, W}), ("CA6", {E, S}),
    ("DG16", {E, S}), ("TD1", {S}), ("SY1", {E}), ("SY16", {W}),
    # Inside a sentence
    ("I'm in Cardiff CF10 1AA please", {W}),
    ("my postcode is gl168pb", {W}),
    ("im at EH1 1YZ can u help", {S}),
    ("Belfast BT7 1NN", {N}),
    ("postcode sy23 2ax thanks", {W}),
    ("I live near Berwick, TD15", {E}),  # the town says which side of the border
    ("I live near TD15", {E, S}),
    # A postcode and a place
    ("CF10 1AA and SCOTLAND", {W, S}),
    ("NP16 or scotland", {S}),  # a district is weak evidence: a nation named beside it wins
    ("BT7 1NN northern ireland", {N}),
]  # fmt: skip

NOT_LOCAL = [
    ("JE2 3AB", ["CI"]), ("JE1 1AA", ["CI"]), ("GY1 1AA", ["CI"]), ("gy9 3aa", ["CI"]), ("JE2", ["CI"]),
    ("IM1 1AA", ["IOM"]), ("IM9 6AA", ["IOM"]), ("IM1", ["IOM"]),
    ("BFPO 105", ["BFPO"]), ("bfpo105", ["BFPO"]), ("BF1 4FB", ["BFPO"]),
    ("staying with my sister in IM1 2AB", ["IOM"]),
    ("IM1 2AB or JE2 3AB", ["IOM", "CI"]),
]  # fmt: skip

LOOKS_LIKE_A_POSTCODE = [
    "ZZ1 1ZZ", "QQ12 3AB", "XY1", "A1 1AA", "JZ1 1AA", "CA65", "M3N", "CF1A 1AA",
    "N1", "I live in N1",  # NI mistyped, or the London district? Unsure: the menu
]  # fmt: skip


def routed_to(text: str) -> set[str]:
    return {key for key, number in NUMBERS.items() if number in text}


def test_there_are_at_least_60_postcodes_across_every_nation() -> None:
    assert len(POSTCODES) + len(NOT_LOCAL) >= 60
    assert {key for _, places in POSTCODES for key in places} == set(NUMBERS)


@pytest.mark.parametrize(("body", "nations"), POSTCODES)
def test_a_postcode_routes_to_its_nation(twilio: Twilio, body: str, nations: set[str]) -> None:
    (text,) = twilio.sms(body).messages()
    assert routed_to(text) == nations, text
    assert "Call 999" in text and "55" in text


@pytest.mark.parametrize(("body", "places"), NOT_LOCAL)
def test_places_with_no_local_service_are_told_so_with_the_national_line(
    twilio: Twilio, body: str, places: list[str]
) -> None:
    (text,) = twilio.sms(body).messages()
    assert text.startswith("We have no local helpline for " + " and ".join(ELSEWHERE[p] for p in places))
    assert "National Domestic Abuse Helpline on 0808 2000 247, 24/7" in text
    assert "Call 999" in text and "55" in text


def test_a_keyword_beside_a_place_with_no_service_gets_that_keyword(twilio: Twilio) -> None:
    (text,) = twilio.sms("IM1 1AA wales").messages()
    assert routed_to(text) == {"wales"}


@pytest.mark.parametrize("body", LOOKS_LIKE_A_POSTCODE)
def test_what_only_looks_like_a_postcode_gets_the_menu(twilio: Twilio, body: str) -> None:
    (text,) = twilio.sms(body).messages()
    assert text.startswith("Text a word or number"), text
    assert "0808 2000 247" in text


def test_two_places_in_one_message_are_named_in_order(twilio: Twilio) -> None:
    (text,) = twilio.sms("SCOTLAND or CF10 1AA").messages()
    assert text.index("Scotland") < text.index("Wales")
    assert routed_to(text) == {"scotland", "wales"}


# The districts the table splits between two nations, derived from it when it is loaded.
BORDER_DISTRICTS = {
    "CA6": {E, S}, "DG16": {E, S}, "TD5": {E, S}, "TD9": {E, S}, "TD12": {E, S}, "TD15": {E, S},
    "CH1": {E, W}, "CH4": {E, W}, "CH6": {E, W}, "CH28": {E, W}, "CH29": {E, W}, "CH34": {E, W},
    "CH70": {E, W}, "GL16": {E, W}, "HR3": {E, W}, "HR5": {E, W}, "LD7": {E, W}, "LD8": {E, W},
    "LL14": {E, W}, "NP5": {E, W}, "NP6": {E, W}, "NP7": {E, W}, "NP16": {E, W}, "NP25": {E, W},
    "SY5": {E, W}, "SY7": {E, W}, "SY9": {E, W}, "SY10": {E, W}, "SY13": {E, W}, "SY14": {E, W},
    "SY15": {E, W}, "SY21": {E, W}, "SY22": {E, W},
}  # fmt: skip


def test_every_district_the_table_splits_answers_both_nations() -> None:
    table = PostcodeTable.load()
    split = {
        outward: {p.key for p in table.district(outward)}
        for outward in _all_outward_codes(table)
        if len(table.district(outward)) > 1
    }
    assert split == BORDER_DISTRICTS


@pytest.mark.parametrize("outward", sorted(BORDER_DISTRICTS))
def test_border_district_postcodes_route_to_their_own_side(twilio: Twilio, outward: str) -> None:
    (text,) = twilio.sms(outward).messages()
    assert routed_to(text) == BORDER_DISTRICTS[outward]
    for nation in BORDER_DISTRICTS[outward]:
        inward = _inward_only(outward, nation)
        (text,) = twilio.sms(f"{outward} {inward}").messages()
        assert routed_to(text) == {nation}, f"{outward} {inward}"


def test_the_table_agrees_with_its_regular_expressions() -> None:
    """The prefix trees answer exactly as the source's patterns do under re.match: at random
    across every area, and for every postcode shape of every border district."""
    table = PostcodeTable.load()
    rng = random.Random(3)
    areas = sorted(table.areas)
    districts = [str(n) for n in range(100)] + [f"{n}{c}" for n in range(10) for c in string.ascii_uppercase]
    postcodes = [
        rng.choice(areas) + rng.choice(districts) + str(rng.randint(0, 9)) + "".join(rng.choices(INWARD, k=2))
        for _ in range(20_000)
    ]
    postcodes += [
        o + d + a + b for o in BORDER_DISTRICTS for d in string.digits for a in INWARD for b in INWARD
    ]
    for postcode in postcodes:
        found = {p.key for p in table.postcode(postcode)}
        area = re.match("[A-Z]+", postcode)
        assert area is not None
        if postcode[-4].isalpha() and area.group() not in LONDON:
            assert found == set(), postcode  # districts like W1A exist only in central London
            continue
        expected = {key for key, pattern in PATTERNS.items() if pattern.match(postcode)}
        if expected:  # one the patterns do not know gets its district's places instead
            assert found == expected, postcode


def test_the_table_keeps_its_attribution() -> None:
    text = DEFAULT_TABLE.read_text(encoding="utf-8")
    assert "Contains public sector information licensed under the Open Government Licence v3.0" in text
    assert "ONS Postcode Directory" in text and "uk_postcode" in text and "MIT" in text
    readme = (DEFAULT_DIRECTORY.parent.parent / "README.md").read_text(encoding="utf-8")
    assert "Contains public sector information licensed under the Open Government Licence v3.0" in readme


def test_a_broken_table_is_refused_with_its_path(tmp_path: Path) -> None:
    broken = tmp_path / "table.toml"
    broken.write_text('[table]\nareas = ["CF"]\n[places.wales]\nlabel = "Wales"\npattern = "^(?:CF|.*)"\n')
    with pytest.raises(PostcodeTableError, match=r"table\.toml: places\.wales\.pattern"):
        PostcodeTable.load(broken)
    with pytest.raises(PostcodeTableError, match="cannot be read"):
        PostcodeTable.load(tmp_path / "missing.toml")


def test_without_a_table_texts_still_route_by_keyword(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(*args: object) -> PostcodeTable:
        raise PostcodeTableError("uk-postcodes.toml: cannot be read")

    monkeypatch.setattr(routes.state.PostcodeTable, "load", refuse)
    caplog.set_level(logging.INFO)
    twilio = Twilio(create_app({"TWILIO_AUTH_TOKEN": TOKEN}).test_client())
    assert any(r.levelno == logging.CRITICAL and "Postcode table" in r.getMessage() for r in caplog.records)
    (text,) = twilio.sms("WALES").messages()
    assert routed_to(text) == {"wales"}
    (text,) = twilio.sms("CF10 1AA").messages()
    assert text.startswith("Text a word or number")


def test_a_directory_for_another_country_ignores_uk_postcodes(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.toml"
    path.write_text(DEFAULT_DIRECTORY.read_text(encoding="utf-8").replace('country = "GB"', 'country = "IE"'))
    twilio = Twilio(create_app({"TWILIO_AUTH_TOKEN": TOKEN, "HELPLINE_DIRECTORY": str(path)}).test_client())
    (text,) = twilio.sms("CF10 1AA").messages()
    assert text.startswith("Text a word or number")


def _all_outward_codes(table: PostcodeTable) -> list[str]:
    tails = ["", *string.digits, *string.ascii_uppercase]
    return [area + str(d) + tail for area in sorted(table.areas) for d in range(10) for tail in tails]


def _inward_only(outward: str, nation: str) -> str:
    """An inward code that the source's patterns put in `nation` alone."""
    for inward in (d + a + b for d in string.digits for a in INWARD for b in INWARD):
        if [key for key, pattern in PATTERNS.items() if pattern.match(outward + inward)] == [nation]:
            return inward
    raise AssertionError(f"no postcode of {outward} in {nation}")
