"""The interactive call driven as a person would: keys typed at the prompt, the screen read back."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

ROOT = Path(__file__).resolve().parent.parent
KEYS_PROMPT = "Keys, or words to say, or Enter for silence (Ctrl-D hangs up)> "
DIAL_PROMPT = "Dial outcome? [c]ompleted, [b]usy, [n]o-answer, [f]ailed (Ctrl-D hangs up)> "

pytestmark = pytest.mark.slow


@pytest.fixture
def phone() -> Iterator[pexpect.spawn]:
    env = {k: v for k, v in os.environ.items() if k not in ("TWILIO_AUTH_TOKEN", "HELPLINE_DIRECTORY")}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "simulator", "call"],
        cwd=str(ROOT),
        env={**env, "PYTHONUNBUFFERED": "1"},
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 200),
    )
    try:
        yield child
    finally:
        child.close(force=True)


def answer(child: pexpect.spawn, prompt: str, typed: str) -> str:
    """Wait for `prompt`, type a line, and return what the screen showed before the prompt."""
    child.expect_exact(prompt)
    screen = child.before
    child.sendline(typed)
    return screen


def test_a_person_chooses_by_key_and_voice_and_is_handed_over(phone: pexpect.spawn) -> None:
    greeting = answer(phone, KEYS_PROMPT, "9")
    assert "Directory: data/uk.toml (UK domestic abuse helplines)" in greeting
    assert "press 5 5" in greeting and "Say: For Wales, press 2." in greeting
    assert "Gather: listening 6 s for 1 key or a phrase" in greeting

    again = answer(phone, KEYS_PROMPT, "0")  # not a key of the menu
    assert "Say: For Wales, press 2." in again and "did not catch" not in again
    assert "(caller" not in again  # what the person typed is on screen already, not repeated

    missed = answer(phone, KEYS_PROMPT, "take me to wales")
    assert "Say: Sorry, I did not catch that." in missed

    ringing = answer(phone, DIAL_PROMPT, "b")
    assert "Dial: Connecting to Live Fear Free Helpline (+448088010800)" in ringing

    failover = answer(phone, DIAL_PROMPT, "completed")
    assert "Dial ended: busy" in failover
    assert "Dial: Connecting to National Domestic Abuse Helpline (+448082000247)" in failover

    phone.expect(pexpect.EOF)
    assert "Say: Thank you for calling. Goodbye." in phone.before
    assert "Call ended: <Hangup>" in phone.before
    phone.close()
    assert phone.exitstatus == 0


def test_a_wrong_answer_is_explained_and_asked_again_then_ctrl_d_hangs_up(phone: pexpect.spawn) -> None:
    answer(phone, KEYS_PROMPT, "4")
    answer(phone, DIAL_PROMPT, "maybe")
    phone.expect_exact(DIAL_PROMPT)
    assert "Cannot dial 'maybe' now: a Dial ends as one of completed, busy, no-answer, failed" in phone.before
    phone.sendeof()
    phone.expect(pexpect.EOF)
    assert "Call ended: the caller hung up" in phone.before
    phone.close()
    assert phone.exitstatus == 0
