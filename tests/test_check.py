"""`make check`: each rule, broken on purpose, fails with its own message naming file and field."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from helpline.directory import DATA_FOLDER, DEFAULT_DIRECTORY
from tools.check import check_paths, main

TODAY = dt.date(2026, 11, 26)
UK = DEFAULT_DIRECTORY.read_text()
EXAMPLE = (DATA_FOLDER / "example-council.toml").read_text()


def broken(tmp_path: Path, source: str, *edits: tuple[str, str]) -> Path:
    for old, new in edits:
        assert old in source, old
        source = source.replace(old, new, 1)
    path = tmp_path / "directory.toml"
    path.write_text(source)
    return path


def problems(path: Path, today: dt.date = TODAY) -> list[str]:
    return [str(p) for p in check_paths([path], today)]


def test_shipped_directories_pass() -> None:
    assert problems(DATA_FOLDER) == []


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        pytest.param(
            [
                ('number = "+448088010800"', 'number = "+448088010801"'),
                ('written = "0808 80 10 800"', 'written = "0808 80 10 801"'),
            ],
            None,
            id="a-different-but-valid-number-passes",
        ),
        pytest.param(
            [
                ('number = "+448000271234"', 'number = "+4480002712345"'),
                ('written = "0800 027 1234"', 'written = "0800 027 12345"'),
            ],
            "ERROR {path}: services.scotland.number: +4480002712345 is not a valid GB number",
            id="invalid-number",
        ),
        pytest.param(
            [('written = "0808 802 1414"', 'written = "0808 802 1415"')],
            "ERROR {path}: services.northern-ireland.written: "
            "'0808 802 1415' is not the number dialled (+448088021414)",
            id="written-differs-from-dialled",
        ),
        pytest.param(
            [('text_number = "07860 077333"', 'text_number = "07860 0773"')],
            "ERROR {path}: services.wales.text_number: '07860 0773' is not a valid GB number",
            id="bad-text-number",
        ),
        pytest.param(
            [("numbers = []", 'numbers = ["+441632960999"]')],
            "ERROR {path}: directory.numbers: +441632960999 is not a valid GB number",
            id="fictional-number-in-a-real-directory",
        ),
        pytest.param(
            [('[[menu]]\ndigit = "5"\nservice = "men"\n', "")],
            "ERROR {path}: services.men: has no key in the [[menu]]: callers cannot reach it",
            id="not-in-menu",
        ),
        pytest.param(
            [('emergency_sms = "In danger now?', 'emergency_sms = "In danger now? ' + "Please, " * 20)],
            "ERROR {path}: texts.en: the text for 'en: ",
            id="over-budget",
        ),
        pytest.param(
            [("Or text {text_number}.", "Or text {text_number} \u2013 any time.")],
            "ERROR {path}: texts.en: the text for 'en: wales' is 247 UCS-2 characters "
            "('\u2013' -> '-' would keep it GSM-7), 113 over the 134 that fit sms.segments = 2",
            id="non-gsm7",
        ),
        pytest.param(
            [('keywords = ["MEN", "MALE", "MENS"]', 'keywords = ["MEN", "MALE", "WALES"]')],
            "ERROR {path}: services.men.keywords: 'WALES' is already used by services.wales.keywords",
            id="duplicate-keyword",
        ),
        pytest.param(
            [('digit = "4"', 'digit = "1"')],
            "ERROR {path}: menu[3].digit: key 1 is already used by menu[0].digit",
            id="duplicate-key",
        ),
        pytest.param(
            [('source = "https://sdafmh.org.uk/"\n', "")],
            "ERROR {path}: services.scotland.source: missing text",
            id="no-source",
        ),
        pytest.param(
            [("verified = 2026-11-26\n", "")],
            "ERROR {path}: services.england.verified: must be the date",
            id="no-verified-date",
        ),
        pytest.param(
            [("verified = 2026-11-26", "verified = 2026-01-02")],
            "WARNING {path}: services.england.verified: last checked 2026-01-02, over six months ago",
            id="stale",
        ),
    ],
)
def test_each_rule(tmp_path: Path, edits: list[tuple[str, str]], expected: str | None) -> None:
    path = broken(tmp_path, UK, *edits)
    found = problems(path)
    if expected is None:
        assert found == []
        return
    expected = expected.format(path=path)
    assert any(line.startswith(expected) for line in found), found
    assert len(found) == 1, found


def test_missing_language_text_is_named(tmp_path: Path) -> None:
    fixture = (Path(__file__).parent / "fixtures" / "bilingual.toml").read_text()
    cy_part = fixture.index("[texts.cy]")
    goodbye = fixture.index("voice_goodbye", cy_part)
    line_end = fixture.index("\n", goodbye)
    path = tmp_path / "bilingual.toml"
    path.write_text(fixture[:goodbye] + fixture[line_end + 1 :])
    assert problems(path) == [f"ERROR {path}: texts.cy.voice_goodbye: missing text"]


def test_example_directory_may_only_use_drama_numbers(tmp_path: Path) -> None:
    path = broken(tmp_path, EXAMPLE, ('number = "+441632960001"', 'number = "+441632961001"'),
                  ('written = "01632 960 001"', 'written = "01632 961 001"'))  # fmt: skip
    assert problems(path) == [
        f"ERROR {path}: services.outreach.number: +441632961001 is not a valid GB number"
    ]


def test_bad_schedule_is_named(tmp_path: Path) -> None:
    path = broken(tmp_path, EXAMPLE, ('saturday = "10:00-13:00"', 'saturday = "13:00-10:00"'))
    assert problems(path) == [
        f"ERROR {path}: services.outreach.hours.weekly.saturday: '13:00-10:00' ends before it starts"
    ]


def test_command_exit_codes_and_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(DATA_FOLDER), "--today", "2026-11-26"]) == 0
    assert "0 error(s), 0 warning(s)" in capsys.readouterr().out
    assert main([str(DATA_FOLDER), "--today", "2027-08-01"]) == 0
    assert "0 error(s), 7 warning(s)" in capsys.readouterr().out
    path = broken(tmp_path, UK, ('number = "+448000271234"', 'number = "+448000271235"'))
    assert main([str(path)]) == 1
    assert "services.scotland.written" in capsys.readouterr().out


def test_check_runs_as_a_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tools.check", "--today", "2026-11-26"],
        capture_output=True, text=True, check=False, cwd=Path(__file__).parent.parent,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("data: 0 error(s), 0 warning(s)")


def test_check_refuses_a_directory_without_the_999_advice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The shipped directory with the advice taken out of every text and the greeting: `make check` fails."""
    from tests.test_directory import WITHOUT_ADVICE, without_advice

    path = tmp_path / "uk.toml"
    path.write_text(without_advice(UK, *WITHOUT_ADVICE))
    assert main([str(path), "--today", "2026-11-26"]) == 1
    printed = capsys.readouterr().out
    for field in WITHOUT_ADVICE:
        assert f"ERROR {path}: texts.en.{field}: " in printed
    example = tmp_path / "example.toml"
    example.write_text(EXAMPLE.replace("24/7. {emergency}", "24/7."))
    assert problems(example) == [
        f"ERROR {example}: texts.en.sms_menu: must include {{emergency}} (the 999 advice, "
        "texts.en.emergency_sms): every SMS reply carries it",
        f"ERROR {example}: texts.en.sms_no_local_service: must include {{emergency}} (the 999 advice, "
        "texts.en.emergency_sms): every SMS reply carries it",
    ]
