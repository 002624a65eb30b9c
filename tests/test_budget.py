"""Every text the shipped directory can send fits two GSM-7 segments."""

from __future__ import annotations

import pytest

from helpline.catalogue import load_catalogue
from helpline.directory import Directory
from helpline.postcode import PostcodeTable
from helpline.replies import every_sms
from helpline.text import SMS_BUDGET, gsm7_length, is_gsm7, sms_segments


def test_every_sms_is_gsm7_and_within_two_segments(directory: Directory) -> None:
    table = PostcodeTable.load()
    elsewhere = [place for key, place in table.places.items() if key not in directory.services]
    assert [p.key for p in elsewhere] == ["channel-islands", "isle-of-man", "bfpo"]
    texts = list(every_sms(directory, elsewhere))
    # menu; every combination of services; every combination of places with no local service
    assert len(texts) == 1 + 31 + 7
    for label, text in texts:
        assert is_gsm7(text), f"{label}: non-GSM-7 character in {text!r}"
        assert gsm7_length(text) <= SMS_BUDGET, f"{label}: {gsm7_length(text)} characters"
        assert sms_segments(text)[1] <= 2
        assert "999" in text and "55" in text, label


@pytest.mark.parametrize("shipped", load_catalogue().directories, ids=lambda d: d.path.name)
def test_every_sms_of_every_shipped_directory_fits(shipped: Directory) -> None:
    texts = list(every_sms(shipped))
    assert texts
    for label, text in texts:
        assert is_gsm7(text) and gsm7_length(text) <= SMS_BUDGET, (label, text)
        assert "999" in text, label


def test_gsm7_rules_catch_what_would_halve_the_budget() -> None:
    assert is_gsm7("Men's Advice Line: call 0808 801 0327. Call 999.")
    assert not is_gsm7("Men\u2019s")  # curly apostrophe
    assert not is_gsm7("0808 \u2013 2000")  # en dash
    assert not is_gsm7("Llinell Gymorth Byw Heb Ofn \u0175")  # w with circumflex
    assert gsm7_length("[x]") == 5
    assert sms_segments("a" * 160) == ("GSM-7", 1)
    assert sms_segments("a" * 161) == ("GSM-7", 2)
    assert sms_segments("\u2019" * 70) == ("UCS-2", 1)
    assert sms_segments("\u2019" * 71) == ("UCS-2", 2)
