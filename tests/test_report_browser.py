"""The report page in a real headless browser, where Chromium is installed (skipped elsewhere).

The page is shown at a phone's width and a desktop's, and printed to A4, with Chromium's own
network use switched off: it must draw from itself alone.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from simulator import params
from tools import report, report_screenshot
from tools.report_demo import demo

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(report_screenshot.browser() is None, reason="no Chromium on PATH"),
]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import datetime as dt

    out = tmp_path_factory.mktemp("report")
    figures = out / "figures.jsonl"
    with figures.open("w") as write:
        demo(dt.date(2026, 10, 1), dt.date(2026, 10, 14), seed=7, write=write)
    assert report.main(["--figures", str(figures), "--out", str(out)]) == 0
    return out / "report.html"


@pytest.mark.parametrize("width", [390, 900])
def test_the_page_draws_its_charts_at_a_phone_and_a_desktop_width(
    page: Path, tmp_path: Path, width: int
) -> None:
    png = tmp_path / "shot.png"
    report_screenshot.screenshot(page, png, width=width, height=2400)
    with Image.open(png) as image:
        assert image.size == (width, 2400)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
        # the charts' palette is on screen: the blue and orange of the two busiest helplines
        drawn = {rgb for _, rgb in colours}
        assert (0x00, 0x72, 0xB2) in drawn and (0xE6, 0x9F, 0x00) in drawn
        # and nothing is cut off at the right: the rightmost column is the page's white margin
        right = image.convert("RGB").crop((width - 3, 0, width, 2400)).getcolors(maxcolors=1 << 20) or []
        assert {rgb for _, rgb in right} == {(255, 255, 255)}


def test_the_page_as_the_browser_reads_it_holds_the_figures_and_no_caller(page: Path) -> None:
    chromium = report_screenshot.browser()
    assert chromium is not None
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [chromium, *report_screenshot.FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
    assert "Texts received" in done.stdout and "Calls put through" in done.stdout and "<svg" in done.stdout
    assert params.CALLER[1:] not in done.stdout and not re.search(r"\b(?:SM|CA)[0-9a-f]{32}\b", done.stdout)


def test_the_page_prints_on_a4(page: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    chromium = report_screenshot.browser()
    assert chromium is not None
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [chromium, *report_screenshot.FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
             f"--print-to-pdf={pdf}", page.as_uri()],
            capture_output=True, timeout=60, check=True,
        )  # fmt: skip
    document = pdf.read_bytes()
    sizes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", document)
    assert sizes and all(abs(float(w) - 595.9) < 2 and abs(float(h) - 842.9) < 2 for w, h in sizes), sizes
    assert 1 <= len(sizes) <= 6, "a report a funder can print"
