"""`make run` as an operator uses it: the directory and port asked for, and a quiet access log."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECRET = "Zanzibar-quokka"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_make_run_serves_the_directory_and_port_asked_for_and_logs_no_query_string(tmp_path: Path) -> None:
    port = free_port()
    directory = ROOT / "tests" / "fixtures" / "bilingual.toml"
    env = {k: v for k, v in os.environ.items() if k not in ("TWILIO_AUTH_TOKEN", "HELPLINE_DIRECTORY")}
    out, err = tmp_path / "out", tmp_path / "err"
    with out.open("w") as stdout, err.open("w") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "tools.serve", "--port", str(port), "--directory", str(directory)],
            cwd=ROOT, env=env, stdout=stdout, stderr=stderr,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                        assert reply.status == 200
                        break
                except (urllib.error.URLError, ConnectionError):
                    assert time.monotonic() < deadline and server.poll() is None, err.read_text()
                    time.sleep(0.1)
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/sms?Body={SECRET}", timeout=5)
            assert refused.value.code == 403
        finally:
            server.terminate()
            server.wait(timeout=10)
    banner, log = out.read_text(), err.read_text()
    assert f"127.0.0.1:{port}" in banner and str(directory) in banner
    assert "local token" in banner
    assert "GET /sms?" in log and SECRET not in log and SECRET not in banner
