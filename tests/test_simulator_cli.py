"""The simulator command as an operator uses it: texts, scripted calls, the tour, --url."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from helpline.directory import DEFAULT_DIRECTORY
from helpline.text import sms_segments
from simulator import cli
from tests.twilio_fake import TOKEN, Twilio

ROOT = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """The exit status and the output, with wrapped lines joined back."""
    code = cli.main(list(argv))
    out = capsys.readouterr().out
    return code, re.sub(r"\n {5,}", " ", out)


def test_sms_shows_the_reply_as_the_phone_does(capsys: pytest.CaptureFixture[str], twilio: Twilio) -> None:
    (expected,) = twilio.sms("WALES").messages()
    code, out = run(capsys, "sms", "WALES")
    assert code == 0
    shown = " ".join(line[4:] for line in out.splitlines() if line.startswith("  | "))
    assert shown == expected
    encoding, segments = sms_segments(expected)
    assert f"({len(expected)} characters, {encoding}, {segments} segments)" in out
    assert "Directory: data/uk.toml (UK domestic abuse helplines)" in out


def test_sms_opt_out_shows_that_nothing_is_sent(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "sms", "STOP")
    assert code == 0 and "no reply is sent" in out and "  | " not in out


def test_scripted_call_through_failover(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "call", "--press", "9", "--press", "0", "--say", "Scotland please",
                    "--dial", "busy", "--dial", "completed")  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    order = [
        "  (caller pressed 9)",
        "  (caller pressed 0)",
        "  Say: Sorry, I did not catch that.",
        "  (caller said 'Scotland please')",
        "  Dial: Connecting to Scotland's Domestic Abuse and Forced Marriage Helpline (+448000271234)",
        "  Dial ended: busy",
        "  Dial: Connecting to National Domestic Abuse Helpline (+448082000247)",
        "  Dial ended: completed",
        "  Say: Thank you for calling. Goodbye.",
        "  Call ended: <Hangup>",
    ]
    assert [line for line in lines if line in order] == order


def test_a_script_that_does_not_fit_the_call_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "call", "--dial", "busy")
    assert (
        code == 2
        and "Cannot dial 'busy' now: the call is waiting for the Gather, not for a Dial outcome" in out
    )


def test_a_script_that_stops_early_says_where_the_call_waits(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "call", "--press", "4")
    assert code == 0 and "still waiting for the Dial" in out


def test_verbose_shows_each_signed_request(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run(capsys, "call", "-v", "--press", "2", "--dial", "no-answer", "--hang-up")
    assert "  -> POST http://localhost/voice\n" in out
    assert "  -> POST http://localhost/voice/choose/0 (Digits='2')" in out
    assert "  -> POST http://localhost/voice/dialled/wales (DialCallStatus='no-answer')" in out
    assert out.rstrip().endswith("Call ended: the caller hung up")


def test_another_directory_is_tried_with_directory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(DEFAULT_DIRECTORY.read_text().replace('"Live Fear Free Helpline"', '"Test Line Cymru"'))
    code, out = run(capsys, "call", "--directory", str(mine), "--press", "2")
    assert code == 0 and "Connecting to Test Line Cymru (+448088010800)" in out
    assert f"Directory: {mine} (UK domestic abuse helplines)" in out


def test_helpline_directory_is_the_default(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "env.toml"
    mine.write_text(DEFAULT_DIRECTORY.read_text().replace('"Men\'s Advice Line"', '"Env Line"', 1))
    monkeypatch.setenv("HELPLINE_DIRECTORY", str(mine))
    code, out = run(capsys, "sms", "MEN")
    assert code == 0 and "Env Line (Respect): call 0808 801 0327" in out


def test_a_refused_directory_is_shown_and_callers_still_get_the_national_line(
    capsys: pytest.CaptureFixture[str], broken_directory: Path
) -> None:
    code = cli.main(["call", "--directory", str(broken_directory), "--dial", "busy"])
    out, err = capsys.readouterr()
    assert code == 0
    assert f"Directory {broken_directory} is refused: the app answers with its built-in national" in out
    assert "services.wales.number: '0808 80 10 800' is not an E.164 number" in err  # the app's own log
    assert "Connecting to National Domestic Abuse Helpline (+448082000247)" in out
    assert "Call ended: <Hangup>" in out


def test_the_tour_refuses_a_refused_directory(
    capsys: pytest.CaptureFixture[str], broken_directory: Path
) -> None:
    code, out = run(capsys, "tour", "--directory", str(broken_directory))
    assert code == 1 and "fix the directory first" in out


def test_the_tour_of_the_shipped_directory_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "tour")
    assert code == 0 and out.rstrip().endswith("with no problem in the TwiML.")
    assert "[1] listening at /voice, reached by: the start of the call" in out


# --url: a real server on 127.0.0.1 ------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[str]:
    app = create_app({"TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": "", "HELPLINE_DIRECTORY": ""})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=5)


@pytest.mark.slow
def test_url_talks_to_a_running_server(capsys: pytest.CaptureFixture[str], server: str) -> None:
    code, out = run(capsys, "sms", "scotland", "--url", server, "--token", TOKEN)
    assert code == 0 and "0800 027 1234" in out
    code, out = run(capsys, "call", "--url", server, "--token", TOKEN, "--press", "5", "--dial", "failed",
                    "--dial", "failed")  # fmt: skip
    assert code == 0 and "Connecting to Men's Advice Line (+448088010327)" in out
    assert "0 8 0 8, 2 0 0 0, 2 4 7" in out


@pytest.mark.slow
def test_url_with_the_wrong_token_is_reported(capsys: pytest.CaptureFixture[str], server: str) -> None:
    code, out = run(capsys, "call", "--url", server, "--token", "not-the-token")
    assert code == 1 and "refused (HTTP 403): the signature did not match" in out


@pytest.mark.slow
def test_url_reads_the_token_from_the_environment(
    capsys: pytest.CaptureFixture[str], server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    assert run(capsys, "sms", "NI", "--url", server)[0] == 0
    monkeypatch.delenv("TWILIO_AUTH_TOKEN")
    with pytest.raises(SystemExit, match="needs the auth token"):
        cli.main(["sms", "NI", "--url", server])


def test_url_with_nothing_listening_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago, now closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, out = run(capsys, "sms", "WALES", "--url", f"http://127.0.0.1:{port}", "--token", TOKEN)
    assert code == 1 and f"could not reach http://127.0.0.1:{port}/sms" in out


@pytest.mark.slow
def test_the_app_never_imports_the_simulator() -> None:
    probe = (
        "import sys, app; print(sorted(m for m in sys.modules if m.split('.')[0] in ('simulator', 'tests')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stderr
