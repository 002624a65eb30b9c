"""Render a report page in headless Chromium and save a PNG screenshot (docs/report.png).

    python -m tools.report_screenshot build/report/report.html docs/report.png [--width 900]

Chromium runs with a fresh profile, no sandbox (as root in a container), and with its own
network use switched off: the page must render from itself alone.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         "--disable-extensions", "--default-background-color=ffffffff")  # fmt: skip


def browser() -> str | None:
    """The first headless-capable browser on PATH, if any."""
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def screenshot(page: Path, png: Path, width: int = 900, height: int = 2600, timeout: float = 60) -> None:
    """Save what `page` looks like in a window `width` by `height` pixels."""
    chromium = browser()
    if chromium is None:
        raise RuntimeError("no Chromium on PATH: install it (Debian: apt-get install chromium)")
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        command = [chromium, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
                   f"--screenshot={png.resolve()}", page.resolve().as_uri()]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0 or not png.exists():
        raise RuntimeError(f"Chromium failed ({done.returncode}): {done.stderr.strip()[-500:]}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("page", type=Path)
    p.add_argument("png", type=Path)
    p.add_argument("--width", type=int, default=900)
    p.add_argument("--height", type=int, default=2600)
    args = p.parse_args(argv)
    try:
        screenshot(args.page, args.png, args.width, args.height)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        print(f"screenshot: {exc}", file=sys.stderr)
        return 2
    print(f"Saved {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
