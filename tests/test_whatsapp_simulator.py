"""The simulator's WhatsApp command as an operator uses it: a message, a pin, a voice note."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from simulator import cli
from tests.twilio_fake import Twilio

ROOT = Path(__file__).resolve().parent.parent
BUBBLE = "  \u2502 "


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The exit status, the output, and the reply as the chat shows it (one line)."""
    code = cli.main(list(argv))
    out = capsys.readouterr().out
    shown = " ".join(line[len(BUBBLE) :] for line in out.splitlines() if line.startswith(BUBBLE))
    return code, out, shown


def test_a_message_shows_the_reply_as_whatsapp_does(
    capsys: pytest.CaptureFixture[str], twilio: Twilio
) -> None:
    (expected,) = twilio.whatsapp("WALES").messages()
    code, out, shown = run(capsys, "whatsapp", "WALES")
    assert code == 0 and shown == expected
    assert "WhatsApp reply:" in out and f"({len(expected)} characters, one message)" in out
    assert "segment" not in out  # WhatsApp shows a message whole


def test_a_pin_gets_its_nations_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, shown = run(
        capsys, "whatsapp", "--pin", "51.48,-3.18", "--address", "Cardiff", "--label", "Home"
    )
    assert code == 0 and "0808 80 10 800" in shown and "Call 999" in shown
    assert "sends on WhatsApp to +441632960000: a location pin" in out
    assert "51.48" not in out and "Cardiff" not in out and "Home" not in out


def test_a_broken_pin_and_a_voice_note_get_the_menu(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "whatsapp", "--pin=abc,def")[2].startswith("Text a word or number")
    code, out, shown = run(capsys, "whatsapp", "--voice-note", "https://api.twilio.com/media/ME1")
    assert code == 0 and shown.startswith("Text a word or number") and "a voice note" in out


def test_a_whatsapp_number_chooses_the_directory(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, shown = run(capsys, "whatsapp", "--to", "whatsapp:+441632960100", "OUTREACH")
    assert code == 0 and "01632 960 001" in shown
    assert "Example Borough Council" in out


def test_make_whatsapp_with_a_pin() -> None:
    result = subprocess.run(
        ["make", "-s", "whatsapp", "PIN=55.95,-3.19"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "0800 027 1234" in result.stdout and "WhatsApp reply:" in result.stdout
