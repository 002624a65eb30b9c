"""Load a helpline directory from its TOML file into frozen objects, refusing a broken one.

A directory is read once per process. Every problem found is reported at once, each naming
the file and the field, so an operator can fix a file in one pass.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from helpline import hours as hours_
from helpline.text import words

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
HOURS_KINDS = (hours_.ALWAYS, hours_.NOT_CONFIRMED, "a [services.KEY.hours] schedule")
DATA_FOLDER = Path(__file__).resolve().parent.parent / "data"
DEFAULT_DIRECTORY = DATA_FOLDER / "uk.toml"

# Each text, and the placeholders it may use. A text must not use others.
TEXT_FIELDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "emergency_sms": frozenset(),
        "sms_service": frozenset({"name", "number", "free", "hours", "text_number", "emergency"}),
        "sms_free": frozenset(),
        "sms_hours_24_7": frozenset(),
        "sms_hours_not_confirmed": frozenset({"national_name", "national_number"}),
        "sms_text_number": frozenset({"text_number"}),
        "sms_services": frozenset({"services", "emergency"}),
        "sms_services_entry": frozenset({"label", "name", "number", "hours"}),
        "sms_menu": frozenset({"keywords", "keys", "national_name", "national_number", "emergency"}),
        "sms_no_local_service": frozenset({"places", "national_name", "national_number", "emergency"}),
        "voice_greeting": frozenset(),
        "voice_menu_option": frozenset({"label", "digit"}),
        "voice_menu_repeat": frozenset({"digit"}),
        "voice_menu_speech": frozenset(),
        "voice_not_understood": frozenset(),
        "voice_connecting": frozenset({"name"}),
        "voice_no_choice": frozenset({"name"}),
        "voice_failover": frozenset({"name"}),
        "voice_readout": frozenset({"name", "number"}),
        "voice_goodbye": frozenset(),
        "sms_hours_open": frozenset({"until"}),
        "sms_hours_closed": frozenset({"opens", "national_name", "national_number"}),
        "sms_entry_closed": frozenset({"opens"}),
        "voice_closed": frozenset({"name", "national_name"}),
        "weekdays": frozenset(),
        "voice_menu_language": frozenset({"digit"}),
        "sms_delete": frozenset(),
    }
)
# The 999 advice goes with every SMS reply and starts every call: the texts that must say 999, and
# the replies (every text that may carry {emergency}) that must carry it.
EMERGENCY_TEXTS = ("emergency_sms", "voice_greeting")
EMERGENCY_REPLIES = tuple(key for key, allowed in TEXT_FIELDS.items() if "emergency" in allowed)
NINE_NINE_NINE = re.compile(r"(?<![0-9])9[ -]?9[ -]?9(?![0-9])")
# Texts a language needs only for a feature it uses (voice_menu_language: a key for the language;
# sms_delete: advice to delete a text that is not safe to keep, added after the 999 advice).
OPTIONAL_TEXTS = frozenset({"voice_menu_language", "sms_delete"})
# A call's timing and a text's length, as [voice] and [sms] settings: (default, lowest, highest).
MAX_SILENCES = (1, 1, 5)
GATHER_TIMEOUT = (6, 2, 15)
SMS_SEGMENTS = (2, 1, 10)


class DirectoryError(ValueError):
    """A directory file that cannot be used; `problems` holds one line per fault."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Service:
    """One helpline as callers are told of it."""

    key: str
    name: str
    run_by: str
    label: str
    number: str
    written: str
    text_number: str
    hours: hours_.Hours
    free: bool
    keywords: tuple[tuple[str, ...], ...]
    source: str
    verified: dt.date
    names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def display_name_in(self, language: str) -> str:
        name = self.name_in(language)
        return f"{name} ({self.run_by})" if self.run_by else name

    def name_in(self, language: str) -> str:
        return self.names.get(language, self.name)

    def label_in(self, language: str) -> str:
        return self.labels.get(language, self.label)

    @property
    def always_open(self) -> bool:
        return self.hours == hours_.ALWAYS


@dataclass(frozen=True)
class MenuOption:
    digit: str
    service: str


@dataclass(frozen=True)
class Language:
    """The texts of one language, and the Twilio voice that speaks them."""

    code: str
    voice: str
    voice_language: str
    words: tuple[tuple[str, ...], ...]
    texts: Mapping[str, str]
    digit: str = ""
    """A key that switches a call to this language ("" for none)."""


@dataclass(frozen=True)
class Directory:
    """Everything the router needs to answer for one set of helplines."""

    path: Path
    name: str
    country: str
    national: str
    numbers: tuple[str, ...]
    default: bool
    example: bool
    services: Mapping[str, Service]
    menu: tuple[MenuOption, ...]
    languages: Mapping[str, Language]
    max_attempts: int
    repeat_digit: str
    repeat_words: frozenset[tuple[str, ...]]
    menu_words: frozenset[tuple[str, ...]]
    max_silences: int = MAX_SILENCES[0]
    """Silences, counted with any misses before them, that put a caller through."""
    gather_timeout: int = GATHER_TIMEOUT[0]
    """Seconds of silence after the menu before it counts as no answer."""
    sms_segments: int = SMS_SEGMENTS[0]
    """Segments every text must fit, counted in the text's own encoding."""

    @property
    def default_language(self) -> str:
        return next(iter(self.languages))

    @property
    def texts(self) -> Mapping[str, str]:
        """The texts of the default language."""
        return self.languages[self.default_language].texts

    @property
    def voice(self) -> str:
        return self.languages[self.default_language].voice

    @property
    def language(self) -> str:
        return self.languages[self.default_language].voice_language

    @property
    def national_service(self) -> Service:
        return self.services[self.national]

    def service_for_digit(self, digit: str) -> Service | None:
        for option in self.menu:
            if option.digit == digit:
                return self.services[option.service]
        return None


class _Reader:
    """Reads fields from parsed TOML, collecting a problem per bad field instead of stopping."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []

    def problem(self, field: str, message: str) -> None:
        self.problems.append(f"{self.path}: {field}: {message}")

    def table(self, data: Mapping[str, Any], key: str, field: str) -> Mapping[str, Any]:
        value = data.get(key)
        if not isinstance(value, dict):
            self.problem(field, "missing table" if value is None else "must be a table")
            return {}
        return value

    def text(self, data: Mapping[str, Any], key: str, field: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(field, "missing text" if value is None else "must be non-empty text")
            return ""
        return value

    def boolean(self, data: Mapping[str, Any], key: str, field: str, *, default: bool | None = None) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem(field, "missing true/false" if value is None else "must be true or false")
            return False
        return value

    def text_map(self, data: Mapping[str, Any], key: str, field: str) -> Mapping[str, str]:
        value = data.get(key, {})
        if not isinstance(value, dict) or not all(isinstance(v, str) and v.strip() for v in value.values()):
            self.problem(field, "must be a table of language = text")
            return MappingProxyType({})
        return MappingProxyType(dict(value))

    def word_list(
        self, data: Mapping[str, Any], key: str, field: str, *, required: bool = True
    ) -> list[tuple[str, ...]]:
        value = data.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            self.problem(field, "must be a non-empty list of text")
            return []
        phrases = []
        for raw in value:
            phrase = words(raw)
            if not phrase:
                self.problem(field, f"{raw!r} has no letters or digits")
            else:
                phrases.append(phrase)
        return phrases


def load_directory(path: Path | str = DEFAULT_DIRECTORY) -> Directory:
    """Read and validate one directory file; raise DirectoryError listing every fault."""
    path = Path(path)
    reader = _Reader(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise DirectoryError([f"{path}: cannot be read ({exc.strerror or exc})"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise DirectoryError([f"{path}: is not valid TOML ({exc})"]) from None

    meta = reader.table(data, "directory", "directory")
    name = reader.text(meta, "name", "directory.name")
    country = reader.text(meta, "country", "directory.country")
    national = reader.text(meta, "national", "directory.national")
    numbers = _read_numbers(reader, meta)
    default = reader.boolean(meta, "default", "directory.default", default=False)
    example = reader.boolean(meta, "example", "directory.example", default=False)

    services = _read_services(reader, reader.table(data, "services", "services"))
    if national and national not in services:
        reader.problem("directory.national", f"unknown service {national!r}")
    elif national and not services[national].always_open:
        reader.problem("directory.national", f"{national!r} must be open 24/7")

    voice_table = reader.table(data, "voice", "voice")
    max_attempts = voice_table.get("max_attempts")
    if not isinstance(max_attempts, int) or isinstance(max_attempts, bool) or not 1 <= max_attempts <= 5:
        reader.problem("voice.max_attempts", "must be a whole number from 1 to 5")
        max_attempts = 3
    repeat_digit = reader.text(voice_table, "repeat_digit", "voice.repeat_digit")
    repeat_words = reader.word_list(voice_table, "repeat_words", "voice.repeat_words")
    max_silences, gather_timeout = _read_call_timing(reader, voice_table, max_attempts)

    menu = _read_menu(reader, data.get("menu"), services, repeat_digit)
    sms = reader.table(data, "sms", "sms")
    menu_words = reader.word_list(sms, "menu_words", "sms.menu_words")
    sms_segments = _whole_number(reader, sms, "segments", "sms.segments", SMS_SEGMENTS)
    _check_keywords_unique(reader, services, menu_words)
    languages = _read_languages(reader, data, services)
    keys = {option.digit: f"menu[{i}].digit" for i, option in enumerate(menu)}
    keys[repeat_digit] = "voice.repeat_digit"
    for code, language in languages.items():
        if language.digit in keys:
            reader.problem(
                f"languages.{code}.digit", f"key {language.digit} is already used by {keys[language.digit]}"
            )
        elif language.digit:
            keys[language.digit] = f"languages.{code}.digit"
    _check_emergency_advice(reader, languages)

    if reader.problems:
        raise DirectoryError(reader.problems)
    return Directory(
        path=path,
        name=name,
        country=country,
        national=national,
        numbers=numbers,
        default=default,
        example=example,
        services=MappingProxyType(services),
        menu=tuple(menu),
        languages=MappingProxyType(languages),
        max_attempts=max_attempts,
        repeat_digit=repeat_digit,
        repeat_words=frozenset(repeat_words),
        menu_words=frozenset(menu_words),
        max_silences=max_silences,
        gather_timeout=gather_timeout,
        sms_segments=sms_segments,
    )


def _whole_number(
    reader: _Reader, table: Mapping[str, Any], key: str, field: str, bounds: tuple[int, int, int]
) -> int:
    default, lowest, highest = bounds
    value = table.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not lowest <= value <= highest:
        reader.problem(field, f"must be a whole number from {lowest} to {highest}")
        return default
    return value


def _read_call_timing(reader: _Reader, voice: Mapping[str, Any], max_attempts: int) -> tuple[int, int]:
    """[voice] max_silences and gather_timeout: how soon a silent caller is put through."""
    max_silences = _whole_number(reader, voice, "max_silences", "voice.max_silences", MAX_SILENCES)
    if max_silences > max_attempts:
        reader.problem("voice.max_silences", f"must not be more than voice.max_attempts ({max_attempts})")
    timeout = _whole_number(reader, voice, "gather_timeout", "voice.gather_timeout", GATHER_TIMEOUT)
    return max_silences, timeout


def _read_numbers(reader: _Reader, meta: Mapping[str, Any]) -> tuple[str, ...]:
    raw = meta.get("numbers", [])
    if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
        reader.problem("directory.numbers", "must be a list of E.164 numbers")
        return ()
    for number in raw:
        if not E164.match(number):
            reader.problem("directory.numbers", f"{number!r} is not an E.164 number like +448082000247")
    if len(set(raw)) != len(raw):
        reader.problem("directory.numbers", "lists a number twice")
    return tuple(raw)


def _read_hours(reader: _Reader, raw: Any, field: str) -> hours_.Hours:
    if raw in (hours_.ALWAYS, hours_.NOT_CONFIRMED):
        return str(raw)
    if not isinstance(raw, dict):
        reader.problem(field, f"{raw!r} must be one of {', '.join(HOURS_KINDS)}")
        return hours_.NOT_CONFIRMED
    zone_name = raw.get("timezone", "Europe/London")
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        reader.problem(f"{field}.timezone", f"{zone_name!r} is not a time zone like Europe/London")
        zone = ZoneInfo("Europe/London")
    weekly_raw = raw.get("weekly")
    if not isinstance(weekly_raw, dict):
        reader.problem(f"{field}.weekly", 'must be a table of weekday = "09:00-17:00" (or "closed")')
        weekly_raw = {}
    for day in weekly_raw:
        if day not in hours_.WEEKDAYS:
            reader.problem(f"{field}.weekly.{day}", "is not a weekday (monday ... sunday)")
    weekly = []
    for day in hours_.WEEKDAYS:
        text = weekly_raw.get(day, "closed")
        try:
            weekly.append(hours_.parse_ranges(text) if isinstance(text, str) else _not_text())
        except ValueError as exc:
            reader.problem(f"{field}.weekly.{day}", str(exc))
            weekly.append(())
    closed = raw.get("closed", [])
    if not isinstance(closed, list) or not all(
        isinstance(d, dt.date) and not isinstance(d, dt.datetime) for d in closed
    ):
        reader.problem(f"{field}.closed", "must be a list of dates (YYYY-MM-DD)")
        closed = []
    if not any(weekly):
        reader.problem(f"{field}.weekly", 'is never open: use hours = "not-confirmed" or give times')
    for key in raw:
        if key not in ("timezone", "weekly", "closed"):
            reader.problem(f"{field}.{key}", "is not a field of an opening schedule")
    return hours_.Schedule(zone=zone, weekly=tuple(weekly), closed=frozenset(closed))


def _not_text() -> tuple[tuple[dt.time, dt.time], ...]:
    raise ValueError('must be text like "09:00-17:00" or "closed"')


def _read_services(reader: _Reader, table: Mapping[str, Any]) -> dict[str, Service]:
    services: dict[str, Service] = {}
    if not table:
        reader.problem("services", "must name at least one service")
    for key, raw in table.items():
        field = f"services.{key}"
        if not isinstance(raw, dict):
            reader.problem(field, "must be a table")
            continue
        number = reader.text(raw, "number", f"{field}.number")
        if number and not E164.match(number):
            reader.problem(f"{field}.number", f"{number!r} is not an E.164 number like +448082000247")
        written = reader.text(raw, "written", f"{field}.written")
        if written and not any(ch.isdigit() for ch in written):
            reader.problem(f"{field}.written", f"{written!r} has no digits")
        if "hours" not in raw:
            reader.problem(f"{field}.hours", "missing: 24/7, not-confirmed or a schedule")
        verified = raw.get("verified")
        if not isinstance(verified, dt.date) or isinstance(verified, dt.datetime):
            reader.problem(f"{field}.verified", "must be the date the facts were last checked (YYYY-MM-DD)")
            verified = dt.date.min
        services[key] = Service(
            key=key,
            name=reader.text(raw, "name", f"{field}.name"),
            run_by=reader.text(raw, "run_by", f"{field}.run_by", required=False),
            label=reader.text(raw, "label", f"{field}.label"),
            number=number,
            written=written,
            text_number=reader.text(raw, "text_number", f"{field}.text_number", required=False),
            hours=_read_hours(reader, raw.get("hours"), f"{field}.hours") if "hours" in raw else "",
            free=reader.boolean(raw, "free", f"{field}.free"),
            keywords=tuple(reader.word_list(raw, "keywords", f"{field}.keywords")),
            source=reader.text(raw, "source", f"{field}.source"),
            verified=verified,
            names=reader.text_map(raw, "names", f"{field}.names"),
            labels=reader.text_map(raw, "labels", f"{field}.labels"),
        )
    return services


def _read_menu(
    reader: _Reader, raw: Any, services: Mapping[str, Service], repeat_digit: str
) -> list[MenuOption]:
    if not isinstance(raw, list) or not raw:
        reader.problem("menu", "must list at least one [[menu]] option")
        return []
    if repeat_digit and (len(repeat_digit) != 1 or repeat_digit not in "0123456789"):
        reader.problem("voice.repeat_digit", f"{repeat_digit!r} must be one key from 0 to 9")
    options: list[MenuOption] = []
    seen = {repeat_digit: "voice.repeat_digit"}
    for index, entry in enumerate(raw):
        field = f"menu[{index}]"
        if not isinstance(entry, dict):
            reader.problem(field, "must be a table with digit and service")
            continue
        digit = reader.text(entry, "digit", f"{field}.digit")
        service = reader.text(entry, "service", f"{field}.service")
        if digit and (len(digit) != 1 or digit not in "0123456789"):
            reader.problem(f"{field}.digit", f"{digit!r} must be one key from 0 to 9")
        elif digit in seen:
            reader.problem(f"{field}.digit", f"key {digit} is already used by {seen[digit]}")
        seen[digit] = f"{field}.digit"
        if service and service not in services:
            reader.problem(f"{field}.service", f"unknown service {service!r}")
        options.append(MenuOption(digit=digit, service=service))
    return options


def _check_keywords_unique(
    reader: _Reader, services: Mapping[str, Service], menu_words: list[tuple[str, ...]]
) -> None:
    owner: dict[tuple[str, ...], str] = {phrase: "sms.menu_words" for phrase in menu_words}
    for service in services.values():
        for phrase in service.keywords:
            field = f"services.{service.key}.keywords"
            if phrase in owner:
                reader.problem(field, f"{' '.join(phrase)!r} is already used by {owner[phrase]}")
            owner[phrase] = field


def _read_languages(
    reader: _Reader, data: Mapping[str, Any], services: Mapping[str, Service]
) -> dict[str, Language]:
    """[languages.CODE] in order, the first being the default; [texts.CODE] for each."""
    table = reader.table(data, "languages", "languages")
    texts_table = reader.table(data, "texts", "texts")
    if not table:
        reader.problem("languages", "must declare at least one language, e.g. [languages.en]")
    languages: dict[str, Language] = {}
    owner: dict[tuple[str, ...], str] = {}
    for code, raw in table.items():
        field = f"languages.{code}"
        if not LANGUAGE_CODE.match(code):
            reader.problem(field, "must be named by a language code like en or cy")
        if not isinstance(raw, dict):
            reader.problem(field, "must be a table with voice and language")
            continue
        language_words = reader.word_list(raw, "words", f"{field}.words", required=False)
        for phrase in language_words:
            if phrase in owner:
                reader.problem(f"{field}.words", f"{' '.join(phrase)!r} is already used by {owner[phrase]}")
            owner[phrase] = f"{field}.words"
        texts = _read_texts(reader, reader.table(texts_table, code, f"texts.{code}"), code)
        digit = raw.get("digit", "")
        if not isinstance(digit, str) or (digit and (len(digit) != 1 or digit not in "0123456789")):
            reader.problem(f"{field}.digit", f"{digit!r} must be one key from 0 to 9")
            digit = ""
        if digit and "voice_menu_language" not in texts:
            reader.problem(
                f"texts.{code}.voice_menu_language", f"missing text (languages.{code}.digit is set)"
            )
        languages[code] = Language(
            code=code,
            voice=reader.text(raw, "voice", f"{field}.voice"),
            voice_language=reader.text(raw, "language", f"{field}.language"),
            words=tuple(language_words),
            texts=MappingProxyType(texts),
            digit=digit,
        )
    for code in texts_table:
        if code not in table:
            reader.problem(f"texts.{code}", f"has no [languages.{code}] (voice and language)")
    for service in services.values():
        for kind, mapping in (("names", service.names), ("labels", service.labels)):
            for code in mapping:
                if code not in table:
                    reader.problem(
                        f"services.{service.key}.{kind}.{code}", f"{code!r} is not a declared language"
                    )
    return languages


def _read_texts(reader: _Reader, table: Mapping[str, Any], code: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    for key, allowed in TEXT_FIELDS.items():
        field = f"texts.{code}.{key}"
        if key in OPTIONAL_TEXTS and key not in table:
            continue
        value = reader.text(table, key, field)
        if not value:
            continue
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        except ValueError as exc:
            reader.problem(field, f"has a broken {{placeholder}} ({exc})")
            continue
        unknown = used - allowed
        if unknown:
            allowed_list = ", ".join(sorted(allowed)) or "none"
            reader.problem(field, f"unknown placeholder {sorted(unknown)} (allowed: {allowed_list})")
            continue
        if key == "weekdays" and len(value.split()) != 7:
            reader.problem(field, "must name the seven days, Monday first, separated by spaces")
            continue
        texts[key] = value
    for key in table:
        if key not in TEXT_FIELDS:
            reader.problem(f"texts.{code}.{key}", "is not a text the router uses")
    return texts


def _check_emergency_advice(reader: _Reader, languages: Mapping[str, Language]) -> None:
    """No SMS reply and no call may go out without the 999 advice, in any language."""
    for code, language in languages.items():
        texts = language.texts
        for key in EMERGENCY_TEXTS:
            if key in texts and not NINE_NINE_NINE.search(texts[key]):
                reader.problem(f"texts.{code}.{key}", "must give the emergency advice: call 999")
        for key in EMERGENCY_REPLIES:
            if key in texts and "emergency" not in _placeholders(texts[key]):
                reader.problem(
                    f"texts.{code}.{key}",
                    "must include {emergency} (the 999 advice, texts." + code + ".emergency_sms): "
                    "every SMS reply carries it",
                )


def _placeholders(text: str) -> set[str]:
    """The {names} a text uses (already checked to parse)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}
