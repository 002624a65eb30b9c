"""Text conversations: a keyword in, the right helpline (or the menu, or nothing) out."""

from __future__ import annotations

import pytest

from helpline.directory import Directory
from tests.twilio_fake import Twilio

EMERGENCY = "Call 999"

# Every keyword and alias of the shipped directory, as a person might type it.
ROUTES = [
    ("ENGLAND", "0808 2000 247"),
    ("england", "0808 2000 247"),
    ("WALES", "0808 80 10 800"),
    ("Cymru", "0808 80 10 800"),
    ("SCOTLAND", "0800 027 1234"),
    ("alba", "0800 027 1234"),
    ("NI", "0808 802 1414"),
    ("Northern Ireland", "0808 802 1414"),
    ("northern   ireland!", "0808 802 1414"),
    ("MEN", "0808 801 0327"),
    ("Male", "0808 801 0327"),
    ("MENS", "0808 801 0327"),
    ("men's", "0808 801 0327"),
    ("  wales.  ", "0808 80 10 800"),
    ("Wáles", "0808 80 10 800"),
    ("I live in Wales, please help", "0808 80 10 800"),
]


def only_message(reply) -> str:
    assert reply.status == 200 and reply.content_type == "text/xml"
    messages = reply.messages()
    assert len(messages) == 1, reply.text
    return messages[0]


@pytest.mark.parametrize(("body", "number"), ROUTES)
def test_keyword_routes_to_its_helpline(twilio: Twilio, body: str, number: str) -> None:
    text = only_message(twilio.sms(body))
    assert number in text
    assert EMERGENCY in text and "55" in text


def test_every_keyword_of_the_directory_routes(twilio: Twilio, directory: Directory) -> None:
    for service in directory.services.values():
        for phrase in service.keywords:
            text = only_message(twilio.sms(" ".join(phrase).lower()))
            assert service.written in text, (phrase, text)


def test_wales_reply_gives_the_text_number_too(twilio: Twilio) -> None:
    text = only_message(twilio.sms("WALES"))
    assert "Live Fear Free" in text and "07860 077333" in text and "24/7" in text


def test_mens_line_never_claims_24_7_and_gives_the_national_line(twilio: Twilio) -> None:
    text = only_message(twilio.sms("MEN"))
    assert "Men's Advice Line" in text
    assert "0808 801 0327: " not in text
    before_national = text.split("0808 2000 247")[0]
    assert "24/7" not in before_national
    assert "0808 2000 247 (24/7)" in text


@pytest.mark.parametrize("body", ["WOMEN", "women's aid", "I am a woman", "mention", "MENU"])
def test_words_containing_a_keyword_do_not_match_it(twilio: Twilio, body: str) -> None:
    text = only_message(twilio.sms(body))
    assert "0808 801 0327" not in text
    assert text.startswith("Text a word or number"), text


@pytest.mark.parametrize("body", ["HELP", "menu", "Info", "", "   ", "???", "hello", "what is this"])
def test_help_empty_and_unknown_get_the_menu(twilio: Twilio, body: str) -> None:
    text = only_message(twilio.sms(body))
    assert text.startswith("Text a word or number")
    for keyword in ("ENGLAND", "WALES", "SCOTLAND", "NI", "MEN"):
        assert keyword in text
    assert "0808 2000 247" in text and EMERGENCY in text


def test_a_picture_with_no_text_gets_the_menu(twilio: Twilio) -> None:
    reply = twilio.sms("", NumMedia="1", MediaUrl0="https://api.twilio.com/media/ME1")
    assert only_message(reply).startswith("Text a word or number")


def test_missing_body_field_gets_the_menu(twilio: Twilio) -> None:
    reply = twilio.post("/sms", {"From": "+447700900123", "To": "+441632960000"})
    assert only_message(reply).startswith("Text a word or number")


@pytest.mark.parametrize(
    "body",
    ["STOP", "stop", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT",
     "START", "UNSTOP", "YES", " Stop. "],
)  # fmt: skip
def test_opt_out_and_opt_in_words_get_an_empty_response(twilio: Twilio, body: str) -> None:
    reply = twilio.sms(body)
    assert reply.status == 200 and reply.xml is not None
    assert reply.xml.tag == "Response" and len(reply.xml) == 0


def test_stop_inside_a_sentence_is_not_an_opt_out(twilio: Twilio) -> None:
    assert only_message(twilio.sms("how do I make him stop")).startswith("Text a word or number")


def test_two_places_in_one_message_get_both_lines(twilio: Twilio) -> None:
    text = only_message(twilio.sms("wales or scotland?"))
    assert "0808 80 10 800" in text and "0800 027 1234" in text
    assert text.index("Wales") < text.index("Scotland")
    assert EMERGENCY in text


def test_a_conversation_text_then_reply(twilio: Twilio) -> None:
    menu = only_message(twilio.sms("hi"))
    assert "SCOTLAND" in menu
    answer = only_message(twilio.sms("scotland"))
    assert "0800 027 1234" in answer
