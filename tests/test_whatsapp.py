"""WhatsApp conversations on the Messaging webhook, signed as Twilio signs them: keywords, places,
location pins in and around each nation, abroad and broken, and the directory of the number."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpline.directory import Directory
from tests import location_pins
from tests.location_pins import BROKEN, Pin, pins
from tests.twilio_fake import CALLER, Reply, Twilio

EMERGENCY = "Call 999"
NATIONS = location_pins.NATIONS
NO_LOCAL_LINE = "We have no local helpline for"
COUNCIL_NUMBER = "+441632960100"  # listed by data/example-council.toml
# A known limit of the place data: west Fermanagh's villages by the border are under 500 people
# and the nearest place in the table is in Donegal. They get the national line, never the menu.
KNOWN_LIMITS = {"Belleek", "Garrison"}


def only_message(reply: Reply) -> str:
    assert reply.status == 200 and reply.content_type == "text/xml", reply.text
    assert reply.xml is not None and reply.xml.tag == "Response"
    messages = reply.xml.findall("Message")
    assert len(messages) == 1, reply.text
    # an answer, in the conversation the sender opened: no other recipient, sender or template
    assert messages[0].attrib == {}, messages[0].attrib
    assert [child.tag for child in messages[0]] in ([], ["Body"]), reply.text
    return reply.messages()[0]


def lines_in(text: str, directory: Directory) -> set[str]:
    """The nations whose helpline numbers a reply gives."""
    return {key for key in NATIONS if directory.services[key].written in text}


def pin_of(p: Pin) -> tuple[str, str]:
    return f"{p.latitude:.3f}", f"{p.longitude:.3f}"


@pytest.mark.parametrize(
    ("body", "service"),
    [("WALES", "wales"), ("cymru", "wales"), ("Scotland please", "scotland"), ("NI", "northern-ireland"),
     ("england", "england"), ("men", "men"), ("SCOTLND", "scotland")],
)  # fmt: skip
def test_keywords_get_their_helpline(twilio: Twilio, directory: Directory, body: str, service: str) -> None:
    text = only_message(twilio.whatsapp(body))
    assert directory.services[service].written in text
    assert EMERGENCY in text and "55" in text


@pytest.mark.parametrize(
    ("body", "expected"),
    [("CF10 1AA", {"wales"}), ("my postcode is BT1 1AA", {"northern-ireland"}), ("EH1 1YZ", {"scotland"}),
     ("TD15", {"england", "scotland"})],
)  # fmt: skip
def test_postcodes_get_their_nation(
    twilio: Twilio, directory: Directory, body: str, expected: set[str]
) -> None:
    assert lines_in(only_message(twilio.whatsapp(body)), directory) == expected


def test_a_postcode_with_no_local_line_gets_the_national_line(twilio: Twilio) -> None:
    text = only_message(twilio.whatsapp("IM1 1AA"))
    assert text.startswith(NO_LOCAL_LINE) and "Isle of Man" in text and "0808 2000 247" in text


@pytest.mark.parametrize("p", [p for p in pins() if p.kind.startswith("inside")], ids=lambda p: p.name)
def test_a_pin_inside_a_nation_gets_that_nations_line(twilio: Twilio, directory: Directory, p: Pin) -> None:
    text = only_message(twilio.whatsapp(pin=pin_of(p)))
    assert lines_in(text, directory) == set(p.needs), text
    assert EMERGENCY in text and not text.startswith("Text a word or number")


@pytest.mark.parametrize(
    "p", [p for p in pins() if p.kind in ("border", "near a border", "channel")], ids=lambda p: p.name
)
def test_a_border_pin_gets_only_the_lines_around_it(twilio: Twilio, directory: Directory, p: Pin) -> None:
    text = only_message(twilio.whatsapp(pin=pin_of(p)))
    assert EMERGENCY in text and not text.startswith("Text a word or number")
    if text.startswith(NO_LOCAL_LINE):  # only where a pin may be abroad, with the national line
        assert "abroad" in p.within or p.name in KNOWN_LIMITS, text
        assert directory.national_service.written in text
        return
    assert p.needs <= lines_in(text, directory) <= p.within, text
    assert p.name not in KNOWN_LIMITS, "fixed: take it off KNOWN_LIMITS"


@pytest.mark.parametrize(
    "p", [p for p in pins() if p.kind in ("abroad", "open sea", "Isle of Man", "Channel Islands")],
    ids=lambda p: p.name,
)  # fmt: skip
def test_a_pin_outside_the_uk_claims_no_local_line(twilio: Twilio, directory: Directory, p: Pin) -> None:
    text = only_message(twilio.whatsapp(pin=pin_of(p)))
    assert text.startswith(NO_LOCAL_LINE), text
    assert "0808 2000 247" in text and "24/7" in text and EMERGENCY in text
    assert lines_in(text, directory) <= {"england"}  # the national line only
    if p.kind == "Isle of Man":
        assert "the Isle of Man" in text
    if p.kind == "Channel Islands":
        assert "the Channel Islands" in text


@pytest.mark.parametrize(("latitude", "longitude"), BROKEN)
def test_a_broken_pin_gets_the_menu(twilio: Twilio, latitude: str, longitude: str) -> None:
    text = only_message(twilio.whatsapp(pin=(latitude, longitude)))
    assert text.startswith("Text a word or number") and "0808 2000 247" in text and EMERGENCY in text


def test_only_one_coordinate_still_gets_the_menu(twilio: Twilio) -> None:
    reply = twilio.whatsapp(Latitude="51.48", MessageType="location")
    assert only_message(reply).startswith("Text a word or number")


def test_a_pin_is_routed_by_its_coordinates_never_its_address_or_label(
    twilio: Twilio, directory: Directory
) -> None:
    reply = twilio.whatsapp(pin=("53.3498", "-6.2603"), address="Cardiff CF10 1AA, Wales", label="WALES")
    text = only_message(reply)
    assert text.startswith(NO_LOCAL_LINE) and lines_in(text, directory) == {"england"}
    assert "Cardiff" not in text and "CF10" not in text


def test_a_conversation_pin_then_keyword(twilio: Twilio, directory: Directory) -> None:
    first = only_message(twilio.whatsapp(pin=("55.0", "-3.06")))  # at Gretna: both sides of the border
    assert lines_in(first, directory) == {"scotland", "england"}
    second = only_message(twilio.whatsapp("scotland"))
    assert lines_in(second, directory) == {"scotland"}


@pytest.mark.parametrize("body", ["STOP", "stop", "UNSUBSCRIBE", "START", " Quit. "])
def test_opt_out_words_get_no_reply(twilio: Twilio, body: str) -> None:
    reply = twilio.whatsapp(body)
    assert reply.status == 200 and reply.xml is not None
    assert reply.xml.tag == "Response" and len(reply.xml) == 0


@pytest.mark.parametrize(
    "media",
    [(("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", "image/jpeg"),),
     (("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2", "audio/ogg"),)],
    ids=["picture", "voice-note"],
)  # fmt: skip
def test_a_picture_or_voice_note_without_text_gets_the_menu(
    twilio: Twilio, media: tuple[tuple[str, str], ...]
) -> None:
    text = only_message(twilio.whatsapp(media=media))
    assert text.startswith("Text a word or number") and EMERGENCY in text


def test_a_whatsapp_number_chooses_its_directory(twilio: Twilio, directory: Directory) -> None:
    council = only_message(twilio.whatsapp("OUTREACH", to=COUNCIL_NUMBER))
    assert "01632 960 001" in council
    uk = only_message(twilio.whatsapp("OUTREACH"))
    assert "01632 960 001" not in uk and uk.startswith("Text a word or number")
    # a pin to a directory with no line per nation: its own menu, which gives its 24/7 line
    menu = only_message(twilio.whatsapp(pin=("51.48", "-3.18"), to=COUNCIL_NUMBER))
    assert "OUTREACH" in menu and "0808 2000 247" in menu
    assert directory.services["wales"].written not in menu


def test_unsigned_or_forged_whatsapp_messages_are_refused(twilio: Twilio) -> None:
    assert twilio.post("/sms", {"From": "whatsapp:" + CALLER, "Body": "WALES"}, sign=False).status == 403
    assert Twilio(twilio.client, token="wrong").whatsapp(pin=("51.48", "-3.18")).status == 403


def test_figures_count_whatsapp_as_its_own_channel(
    twilio: Twilio, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    twilio.whatsapp("WALES")
    twilio.whatsapp(pin=("51.48", "-3.18"))
    twilio.whatsapp(pin=("53.35", "-6.26"))
    twilio.whatsapp(pin=("nan", "nan"))
    twilio.whatsapp("STOP")
    twilio.sms("WALES")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    got = [(f["channel"], f["outcome"], f["service"], f["how"]) for f in lines]
    assert got == [
        ("whatsapp", "services", "wales", "keyword"),
        ("whatsapp", "services", "wales", "location"),
        ("whatsapp", "elsewhere", "none", "location"),
        ("whatsapp", "menu", "none", "location"),
        ("whatsapp", "silent", "none", "opt-out"),
        ("sms", "services", "wales", "keyword"),
    ]


# Any text at all in the WhatsApp fields, or numbers near the UK, signed as Twilio signs them.
_ODD = st.text(max_size=60) | st.sampled_from(["", "nan", "-inf", "1e400", "51.48", "-3.18", "0", "٥١"])
_NEAR = st.floats(48.0, 62.0).map(repr) | st.floats(-12.0, 3.0).map(repr)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    latitude=_ODD | _NEAR,
    longitude=_ODD | _NEAR,
    address=st.text(max_size=80),
    label=st.text(max_size=40),
    profile=st.text(max_size=40),
    body=st.sampled_from(["", "", "WALES", "STOP"]) | st.text(max_size=40),
)
def test_any_whatsapp_message_gets_a_helpline_or_nothing_never_an_error(
    twilio: Twilio,
    directory: Directory,
    latitude: str,
    longitude: str,
    address: str,
    label: str,
    profile: str,
    body: str,
) -> None:
    reply = twilio.whatsapp(body, pin=(latitude, longitude), address=address, label=label, profile=profile)
    assert reply.status == 200 and reply.xml is not None, reply.text
    if len(reply.xml) == 0:  # no reply: only for the opt-out words, with no pin at all
        assert body.strip(" .!").upper() in ("STOP", "START", "YES", "END", "QUIT") and not (
            latitude or longitude
        )
        return
    text = only_message(reply)
    assert EMERGENCY in text and any(s.written in text for s in directory.services.values()), text
    for sent in (address, label, profile):
        assert len(sent.strip()) < 8 or sent not in text  # nothing sent is repeated back
