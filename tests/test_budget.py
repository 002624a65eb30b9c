"""Every text fits the directory's segment budget, counted as the network counts it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from helpline import fallback
from helpline.catalogue import load_catalogue
from helpline.directory import Directory, load_directory
from helpline.postcode import PostcodeTable
from helpline.replies import every_sms
from helpline.text import is_gsm7, sms_capacity, sms_length, sms_segments
from tools.check import check_paths, main

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 26)


def test_every_sms_is_gsm7_and_within_two_segments(directory: Directory) -> None:
    table = PostcodeTable.load()
    elsewhere = [place for key, place in table.places.items() if key not in directory.services]
    assert [p.key for p in elsewhere] == ["channel-islands", "isle-of-man", "bfpo"]
    texts = list(every_sms(directory, elsewhere))
    # menu; every combination of services; every combination of places with no local service
    assert len(texts) == 1 + 31 + 7
    assert directory.sms_segments == 2
    for label, text in texts:
        assert is_gsm7(text), f"{label}: non-GSM-7 character in {text!r}"
        assert sms_segments(text)[1] <= 2, f"{label}: {sms_length(text)}"
        assert "999" in text and "55 when prompted" in text, label
        assert text.endswith("Delete this text if it is not safe to keep."), label


@pytest.mark.parametrize("shipped", load_catalogue().directories, ids=lambda d: d.path.name)
def test_every_sms_of_every_shipped_directory_fits(shipped: Directory) -> None:
    texts = list(every_sms(shipped))
    assert texts
    for label, text in texts:
        assert sms_segments(text)[1] <= shipped.sms_segments, (label, text)
        assert "999" in text and "Delete this" in text, label


def test_the_mens_advice_line_is_free(directory: Directory) -> None:
    (reply,) = [text for label, text in every_sms(directory) if label == "en: men"]
    assert reply.startswith("Men's Advice Line (Respect): call 0808 801 0327, free.")
    assert "24/7" not in reply.split(".")[0]  # its hours are not confirmed: never claimed


def test_segments_are_counted_in_the_texts_own_encoding() -> None:
    assert is_gsm7("Men's Advice Line: call 0808 801 0327. Call 999.")
    assert not is_gsm7("Men\u2019s")  # curly apostrophe
    assert not is_gsm7("0808 \u2013 2000")  # en dash
    assert not is_gsm7("Llinell Gymorth Byw Heb Ofn \u0175")  # w with circumflex
    assert sms_length("[x]") == ("GSM-7", 5)  # brackets cost an escape each
    assert sms_segments("a" * 160) == ("GSM-7", 1)
    assert sms_segments("a" * 161) == ("GSM-7", 2)
    assert sms_segments("a" * 306) == ("GSM-7", 2)
    assert sms_segments("a" * 307) == ("GSM-7", 3)
    assert sms_segments("\u0175" * 70) == ("UCS-2", 1)
    assert sms_segments("\u0175" * 71) == ("UCS-2", 2)
    assert sms_segments("\u0177" * 134) == ("UCS-2", 2)
    assert sms_segments("\u0177" * 135) == ("UCS-2", 3)
    assert [sms_capacity("GSM-7", n) for n in (1, 2, 3)] == [160, 306, 459]
    assert [sms_capacity("UCS-2", n) for n in (1, 2, 4)] == [70, 134, 268]


def test_a_welsh_directory_with_circumflexes_passes_when_its_texts_fit() -> None:
    path = FIXTURES / "welsh.toml"
    welsh = load_directory(path)
    assert welsh.sms_segments == 4
    texts = dict(every_sms(welsh))
    cy = [text for label, text in texts.items() if label.startswith("cy:")]
    assert cy and all("\u0175\u0177" in text and sms_length(text)[0] == "UCS-2" for text in cy)
    assert max(sms_length(text)[1] for text in cy) > sms_capacity("UCS-2", 2)  # needs its budget
    assert check_paths([path], TODAY) == []
    assert main([str(path), "--today", TODAY.isoformat()]) == 0


def test_a_welsh_directory_over_its_budget_fails_naming_the_field(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = FIXTURES / "welsh-over-budget.toml"
    (problem,) = check_paths([path], TODAY)
    assert problem.severity == "error" and problem.where == f"{path}: texts.cy"
    assert "UCS-2 characters" in problem.message and "sms.segments = 4" in problem.message
    assert "the longest being texts.cy.sms_delete" in problem.message
    assert main([str(path), "--today", TODAY.isoformat()]) == 1
    assert "texts.cy" in capsys.readouterr().out


def test_a_curly_quote_is_named_with_its_gsm7_twin(tmp_path: Path) -> None:
    source = (FIXTURES / "welsh.toml").read_text()
    path = tmp_path / "curly.toml"
    path.write_text(source.replace('voice_goodbye = "Thank you', 'voice_goodbye = "Thank you\u2014'))
    (problem,) = check_paths([path], TODAY)
    assert problem.severity == "warning" and problem.where == f"{path}: texts.en.voice_goodbye"
    assert "'\u2014' -> '-'" in problem.message


def test_the_last_resort_speaks_the_directorys_default_language(tmp_path: Path) -> None:
    welsh_first = FIXTURES / "welsh.toml"
    source = welsh_first.read_text()
    english = source.index("[languages.en]")
    cymraeg = source.index("[languages.cy]")
    end = source.index("[voice]")
    swapped = source[:english] + source[cymraeg:end] + source[english:cymraeg] + source[end:]
    path = tmp_path / "cy-first.toml"
    path.write_text(swapped)
    directory = load_directory(path)
    assert directory.default_language == "cy"
    words = fallback.words_for(directory)
    assert words.voice_name == "Polly.Gwyneth" and words.voice_language == "cy-GB"
    assert words.sms.startswith("[sampl \u0175\u0177] National Domestic Abuse Helpline")
    assert "999" in words.sms and "55" in words.sms and sms_segments(words.sms)[1] <= directory.sms_segments
    assert words.voice.startswith("[sampl \u0175\u0177] In danger now") and "999" in words.voice
    assert "0 8 0 8, 2 0 0 0, 2 4 7" in words.voice_after_dial
    assert words.number == fallback.NATIONAL_NUMBER
    english_first = fallback.words_for(load_directory())
    assert english_first.voice_name == fallback.VOICE_NAME and "press 55 when prompted" in english_first.sms
