"""`make check`: is a directory right before it goes live?

Loads every directory as the app does (which refuses structural faults), then checks what only
matters before deploying: numbers real for their country, every service reachable by a word and by
a key, every possible text within the directory's segment budget (counted in the text's own
encoding), and facts not left unverified for too long. It warns of what is allowed but costly: a
typographic character that turns a text into UCS-2, and a number answered that is not freephone.
Every problem names the file and the field (services.KEY.FIELD names the service). Exits 1 on
errors; warnings alone exit 0.

    python -m tools.check [PATH ...] [--today YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import string
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import phonenumbers

from helpline.catalogue import load_catalogue
from helpline.directory import DATA_FOLDER, Directory, DirectoryError
from helpline.places import NATION_KEYS
from helpline.postcode import Place, PostcodeTable
from helpline.replies import every_sms
from helpline.text import GSM7_TWINS, sms_capacity, sms_length, sms_segments

STALE_AFTER = dt.timedelta(days=183)

# Ofcom's ranges for drama: numbers that will never reach a real person. An example directory
# (`example = true`) may use them instead of real numbers.
DRAMA_PREFIXES = (
    "+441632960", "+447700900", "+448081570", "+442079460",
    "+441134960", "+441144960", "+441154960", "+441164960", "+441174960", "+441184960",
    "+441214960", "+441314960", "+441414960", "+441514960", "+441614960",
)  # fmt: skip


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" or "warning"
    where: str  # "file: field"
    message: str

    def __str__(self) -> str:
        return f"{self.severity.upper()} {self.where}: {self.message}"


def check_paths(paths: list[Path], today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    for path in paths:
        try:
            catalogue = load_catalogue(path)
        except DirectoryError as exc:
            for line in exc.problems:
                where, _, message = line.rpartition(": ")
                problems.append(Problem("error", where, message))
            continue
        for directory in catalogue.directories:
            problems.extend(check_directory(directory, today))
    return problems


def check_directory(directory: Directory, today: dt.date) -> Iterator[Problem]:
    yield from _numbers(directory)
    yield from _freephone(directory)
    yield from _reachable(directory)
    over_budget = list(_sms_budget(directory))
    yield from over_budget
    yield from _gsm7_twins(directory, skip={p.where for p in over_budget})
    yield from _verified(directory, today)


def _problem(directory: Directory, field: str, message: str, severity: str = "error") -> Problem:
    return Problem(severity, f"{directory.path}: {field}", message)


def _valid(directory: Directory, number: str) -> bool:
    if directory.example and number.startswith(DRAMA_PREFIXES):
        return True
    try:
        parsed = phonenumbers.parse(number, directory.country)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed)


def _e164(directory: Directory, written: str) -> str | None:
    try:
        parsed = phonenumbers.parse(written, directory.country)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _numbers(directory: Directory) -> Iterator[Problem]:
    country = directory.country
    for number in directory.numbers:
        if not _valid(directory, number):
            yield _problem(directory, "directory.numbers", f"{number} is not a valid {country} number")
    for service in directory.services.values():
        field = f"services.{service.key}"
        if not _valid(directory, service.number):
            yield _problem(directory, f"{field}.number", f"{service.number} is not a valid {country} number")
        if _e164(directory, service.written) != service.number:
            yield _problem(
                directory,
                f"{field}.written",
                f"{service.written!r} is not the number dialled ({service.number})",
            )
        if service.text_number:
            texted = _e164(directory, service.text_number)
            if texted is None or not _valid(directory, texted):
                yield _problem(
                    directory,
                    f"{field}.text_number",
                    f"{service.text_number!r} is not a valid {country} number",
                )


def _reachable(directory: Directory) -> Iterator[Problem]:
    in_menu = {option.service for option in directory.menu}
    for service in directory.services.values():
        if service.key not in in_menu:
            yield _problem(
                directory, f"services.{service.key}", "has no key in the [[menu]]: callers cannot reach it"
            )
        if not service.keywords:
            yield _problem(
                directory, f"services.{service.key}.keywords", "no keyword: texters cannot reach it"
            )


def _sms_budget(directory: Directory) -> Iterator[Problem]:
    """Every text within `sms.segments` segments of its own encoding; the worst per language is named."""
    budget = directory.sms_segments
    worst: dict[str, tuple[int, int, str, str, str]] = {}
    elsewhere: list[Place] = []
    if directory.country == "GB":
        table = PostcodeTable.load()
        if table.serves(directory.services):
            elsewhere = table.unserved(directory.services)
    for label, text in every_sms(directory, elsewhere):
        language = label.split(":", 1)[0]
        encoding, segments = sms_segments(text)
        length = sms_length(text)[1]
        over = length - sms_capacity(encoding, budget)
        if segments > budget and over > worst.get(language, (0,))[0]:
            worst[language] = (over, length, encoding, label, text)
    for language, (over, length, encoding, label, text) in worst.items():
        twins = _twins(text)
        hint = f" ({twins} would keep it GSM-7)" if twins else ""
        part = _longest_part(directory.languages[language].texts, text, f"texts.{language}")
        yield _problem(
            directory,
            f"texts.{language}",
            f"the text for {label!r} is {length} {encoding} characters{hint}, {over} over the "
            f"{sms_capacity(encoding, budget)} that fit sms.segments = {budget}: shorten the texts of "
            f"[texts.{language}]{part} (or the names, labels and numbers it shows)",
        )


def _longest_part(texts: Mapping[str, str], reply: str, field: str) -> str:
    """The longest text of a language whose fixed words all appear in `reply`, as a hint."""
    parts = []
    for key, value in texts.items():
        fixed = [literal for literal, *_ in string.Formatter().parse(value) if literal.strip()]
        if fixed and all(literal in reply for literal in fixed):
            parts.append((sum(map(len, fixed)), key))
    if not parts:
        return ""
    size, key = max(parts)
    return f", the longest being {field}.{key} ({size} characters of its own)"


def _twins(text: str) -> str:
    return ", ".join(f"{c!r} -> {GSM7_TWINS[c]!r}" for c in sorted({c for c in text if c in GSM7_TWINS}))


def _gsm7_twins(directory: Directory, skip: set[str]) -> Iterator[Problem]:
    """A curly quote or a dash in a text costs the whole text its GSM-7 alphabet: say which
    (for languages whose texts are not already named as over budget, in `skip`)."""
    for code, language in directory.languages.items():
        if _problem(directory, f"texts.{code}", "").where in skip:
            continue
        for key, value in language.texts.items():
            swaps = _twins(value)
            if swaps:
                yield _problem(
                    directory,
                    f"texts.{code}.{key}",
                    f"{swaps} would keep it GSM-7: one such character cuts a text part from 153 to 67",
                    severity="warning",
                )


def _freephone(directory: Directory) -> Iterator[Problem]:
    """A number answered that is not freephone shows on the caller's bill (see docs/calls.md)."""
    for number in directory.numbers:
        if not _valid(directory, number) or (directory.example and number.startswith(DRAMA_PREFIXES)):
            continue  # _numbers names an invalid one; a drama number reaches and bills no one
        parsed = phonenumbers.parse(number, directory.country)
        if phonenumbers.number_type(parsed) != phonenumbers.PhoneNumberType.TOLL_FREE:
            yield _problem(
                directory,
                "directory.numbers",
                f"{number} is not a freephone number: a call to it can cost the caller and show as "
                "a charged call on their bill; 0800 and 0808 numbers are free (docs/calls.md)",
                severity="warning",
            )


def _verified(directory: Directory, today: dt.date) -> Iterator[Problem]:
    for service in directory.services.values():
        if today - service.verified > STALE_AFTER:
            yield _problem(
                directory,
                f"services.{service.key}.verified",
                f"last checked {service.verified}, over six months ago: check {service.source} again",
                severity="warning",
            )


def place_routing(paths: list[Path]) -> Iterator[str]:
    """Whether each directory routes texts and speech by place name and postcode: only a UK one
    with some service keyed as a nation."""
    for path in paths:
        try:
            directories = load_catalogue(path).directories
        except DirectoryError:
            continue
        for directory in directories:
            keyed = [key for key in NATION_KEYS if key in directory.services]
            if directory.country == "GB" and keyed:
                yield f"{directory.path}: place names and postcodes route to {', '.join(keyed)}"
            else:
                yield (
                    f"{directory.path}: no service is keyed {', '.join(NATION_KEYS)} (or country is not GB):"
                    " place names and postcodes get the menu"
                )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="check", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[Path(os.path.relpath(DATA_FOLDER))],
        help="directory files or folders",
    )
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(), help="YYYY-MM-DD")
    args = parser.parse_args(argv)
    problems = check_paths(args.paths, args.today)
    for problem in problems:
        print(problem)
    for line in place_routing(args.paths):
        print(line)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    names = ", ".join(str(p) for p in args.paths)
    print(f"{names}: {errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
