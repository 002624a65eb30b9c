"""A broken directory is refused with a message that names the file and the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from helpline.directory import DEFAULT_DIRECTORY, DirectoryError, load_directory
from tools.check import check_paths

TODAY = dt.date(2026, 11, 26)

SHIPPED = DEFAULT_DIRECTORY.read_text()


def broken(tmp_path: Path, old: str, new: str) -> Path:
    assert old in SHIPPED, old
    path = tmp_path / "uk.toml"
    path.write_text(SHIPPED.replace(old, new, 1))
    return path


@pytest.mark.parametrize(
    ("old", "new", "field", "says"),
    [
        ('number = "+448088010800"', 'number = "08088010800"', "services.wales.number", "E.164"),
        ('number = "+448000271234"', 'number = "+44 800 027 1234"', "services.scotland.number", "E.164"),
        (
            'digit = "2"\nservice = "wales"',
            'digit = "2"\nservice = "cymru"',
            "menu[1].service",
            "unknown service",
        ),
        ('digit = "3"', 'digit = "2"', "menu[2].digit", "already used"),
        ('digit = "5"', 'digit = "9"', "menu[4].digit", "already used by voice.repeat_digit"),
        ('digit = "5"', 'digit = "55"', "menu[4].digit", "one key"),
        (
            'keywords = ["MEN", "MALE", "MENS"]',
            'keywords = ["MEN", "WALES"]',
            "services.men.keywords",
            "already used",
        ),
        (
            'keywords = ["MEN", "MALE", "MENS"]',
            'keywords = ["MEN", "help"]',
            "services.men.keywords",
            "already used",
        ),
        ('national = "england"', 'national = "nowhere"', "directory.national", "unknown service"),
        ('national = "england"', 'national = "men"', "directory.national", "24/7"),
        ('voice_goodbye = "Thank you for calling. Goodbye."', "", "texts.en.voice_goodbye", "missing text"),
        (
            'voice_goodbye = "Thank you',
            'voice_goodbye = "Thank {caller}',
            "texts.en.voice_goodbye",
            "unknown placeholder",
        ),
        ('voice_goodbye = "Thank you', 'voice_goodbye = "Thank {', "texts.en.voice_goodbye", "broken"),
        ('hours = "not-confirmed"', 'hours = "9-5"', "services.men.hours", "must be one of"),
        ("verified = 2026-11-26", 'verified = "recently"', "services.england.verified", "date"),
        ('name = "Live Fear Free Helpline"', 'name = ""', "services.wales.name", "non-empty"),
        ("free = true", 'free = "yes"', "services.england.free", "true or false"),
        ("max_silences = 1", "max_silences = 4", "voice.max_silences", "not be more than voice.max_attempts"),
        ("max_silences = 1", "max_silences = 0", "voice.max_silences", "from 1 to 5"),
        ("gather_timeout = 6", "gather_timeout = 60", "voice.gather_timeout", "from 2 to 15"),
        ("gather_timeout = 6", 'gather_timeout = "6"', "voice.gather_timeout", "whole number"),
        ("segments = 2", "segments = 0", "sms.segments", "from 1 to 10"),
        ('sms_delete = "Delete', 'sms_delete = "{name} Delete', "texts.en.sms_delete", "unknown placeholder"),
        ("max_attempts = 3", "max_attempts = 0", "voice.max_attempts", "1 to 5"),
        ('keywords = ["ENGLAND"]', "keywords = []", "services.england.keywords", "non-empty list"),
        ('keywords = ["ENGLAND"]', 'keywords = ["!!"]', "services.england.keywords", "no letters"),
        (
            'language = "en-GB"',
            'language = "en-GB"\ndigit = "3"',
            "languages.en.digit",
            "already used by menu[2].digit",
        ),
        (
            'language = "en-GB"',
            'language = "en-GB"\ndigit = "7"',
            "texts.en.voice_menu_language",
            "missing text",
        ),
        ('language = "en-GB"', 'language = "en-GB"\ndigit = "77"', "languages.en.digit", "one key"),
    ],
)
def test_each_fault_names_file_and_field(tmp_path: Path, old: str, new: str, field: str, says: str) -> None:
    path = broken(tmp_path, old, new)
    with pytest.raises(DirectoryError) as caught:
        load_directory(path)
    lines = [line for line in caught.value.problems if f": {field}: " in line]
    assert lines, caught.value.problems
    assert all(line.startswith(f"{path}: ") for line in caught.value.problems)
    assert says in lines[0]


def test_all_faults_are_reported_together(tmp_path: Path) -> None:
    path = tmp_path / "uk.toml"
    path.write_text(SHIPPED.replace('"+448088010800"', '"0"').replace('"+448000271234"', '"1"'))
    with pytest.raises(DirectoryError) as caught:
        load_directory(path)
    assert len(caught.value.problems) == 2


def test_not_toml_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "uk.toml"
    path.write_text("[directory\nname=")
    with pytest.raises(DirectoryError, match=r"uk\.toml: is not valid TOML"):
        load_directory(path)
    with pytest.raises(DirectoryError, match=r"missing\.toml: cannot be read"):
        load_directory(tmp_path / "missing.toml")


def test_shipped_directory_loads_frozen(tmp_path: Path) -> None:
    directory = load_directory()
    assert directory.national == "england"
    assert [o.digit for o in directory.menu] == ["1", "2", "3", "4", "5"]
    with pytest.raises(TypeError):
        directory.services["x"] = directory.services["england"]  # type: ignore[index]
    with pytest.raises(AttributeError):
        directory.national = "men"  # type: ignore[misc]


# The 999 advice: a rule of every directory (texts the router sends or says, in every language).
EMERGENCY_SMS = "In danger now? Call 999. Can't speak? Stay on the line; on a mobile, press 55 when prompted."
REPLIES = ["sms_service", "sms_services", "sms_menu", "sms_no_local_service"]
WITHOUT_ADVICE = [*REPLIES, "emergency_sms", "voice_greeting"]


def without_advice(source: str, *fields: str) -> str:
    """The directory with the advice taken out of `fields`: {emergency} from a reply, the whole
    text of emergency_sms or voice_greeting. Every field named must be found."""
    lines = source.splitlines(keepends=True)
    for field in fields:
        found = [n for n, line in enumerate(lines) if line.startswith(f"{field} = ")]
        assert found, field
        for n in found:
            if field in REPLIES:
                assert "{emergency}" in lines[n], lines[n]
                lines[n] = lines[n].replace(" {emergency}", "").replace("{emergency}", "")
            else:
                assert "999" in lines[n], lines[n]
                lines[n] = f'{field} = "If you are in danger, get help."\n'
    return "".join(lines)


def test_a_directory_without_the_999_advice_is_refused_naming_each_field(tmp_path: Path) -> None:
    path = tmp_path / "uk.toml"
    path.write_text(without_advice(SHIPPED, *WITHOUT_ADVICE))
    texts = path.read_text().split("[texts.en]")[1].splitlines()
    # only the readout after a failed call still says 999; no rule asks it to
    said = [
        line[:13] for line in texts if not line.startswith("#") and ("999" in line or "{emergency}" in line)
    ]
    assert said == ["voice_readout"]
    with pytest.raises(DirectoryError) as caught:
        load_directory(path)
    assert sorted(caught.value.problems) == sorted(
        f"{path}: texts.en.{field}: "
        + (
            "must give the emergency advice: call 999"
            if field in ("emergency_sms", "voice_greeting")
            else "must include {emergency} (the 999 advice, texts.en.emergency_sms): "
            "every SMS reply carries it"
        )
        for field in WITHOUT_ADVICE
    )


@pytest.mark.parametrize("field", WITHOUT_ADVICE)
def test_each_text_without_the_999_advice_is_refused_alone(tmp_path: Path, field: str) -> None:
    path = tmp_path / "uk.toml"
    path.write_text(without_advice(SHIPPED, field))
    with pytest.raises(DirectoryError) as caught:
        load_directory(path)
    assert [line.split(": ")[1] for line in caught.value.problems] == [f"texts.en.{field}"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("press 55 when prompted.", "press 55 when prompted. Or 9 9 9."),  # still says it
        (EMERGENCY_SMS, "Danger? Phone 9-9-9 now."),  # 999 as a voice or a reader may write it
        ('"{services} {emergency}"', '"{emergency} {services}"'),  # the advice first
        ('"{services} {emergency}"', '"{services} {emergency!s}"'),  # a conversion still carries it
    ],
)
def test_the_advice_in_other_words_or_places_passes(tmp_path: Path, old: str, new: str) -> None:
    assert load_directory(broken(tmp_path, old, new)).texts


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (EMERGENCY_SMS, "In danger now? Call 9999."),  # another number
        (EMERGENCY_SMS, "In danger now? Call 0999 123."),
        ('"{services} {emergency}"', '"{services} 999"'),  # a bare 999 is not the whole advice
    ],
)
def test_999_inside_another_number_or_without_the_advice_is_refused(
    tmp_path: Path, old: str, new: str
) -> None:
    with pytest.raises(DirectoryError, match="999"):
        load_directory(broken(tmp_path, old, new))


def test_every_language_needs_the_advice(tmp_path: Path) -> None:
    bilingual = (Path(__file__).parent / "fixtures" / "bilingual.toml").read_text()
    english, welsh = bilingual.split("[texts.cy]")
    path = tmp_path / "bilingual.toml"
    path.write_text(english + "[texts.cy]" + without_advice(welsh, "voice_greeting", "sms_menu"))
    with pytest.raises(DirectoryError) as caught:
        load_directory(path)
    assert [line.split(": ")[1] for line in caught.value.problems] == [
        "texts.cy.voice_greeting",
        "texts.cy.sms_menu",
    ]


def test_call_and_text_settings_have_safe_defaults(tmp_path: Path) -> None:
    path = tmp_path / "uk.toml"
    bare = "\n".join(
        line for line in SHIPPED.splitlines()
        if not line.startswith(("max_silences", "gather_timeout", "segments", "sms_delete"))
    )  # fmt: skip
    path.write_text(bare)
    directory = load_directory(path)
    assert (directory.max_silences, directory.gather_timeout, directory.sms_segments) == (1, 6, 2)
    assert "sms_delete" not in directory.texts  # optional: a directory may leave it out


@pytest.mark.parametrize(
    ("numbers", "warned"),
    [
        (["+448081570100"], []),  # 0808: freephone
        (["+448001234567"], []),  # 0800: freephone
        (["+442071234567"], ["+442071234567"]),  # geographic: shows as a charged call
        (["+447400123456", "+448081570101"], ["+447400123456"]),  # a mobile number
    ],
)
def test_check_warns_of_a_number_answered_that_is_not_freephone(
    tmp_path: Path, numbers: list[str], warned: list[str]
) -> None:
    path = tmp_path / "uk.toml"
    listed = ", ".join(f'"{n}"' for n in numbers)
    path.write_text(
        SHIPPED.replace("default = true", "default = false").replace("numbers = []", f"numbers = [{listed}]")
    )
    found = [p for p in check_paths([path], TODAY) if p.where == f"{path}: directory.numbers"]
    assert [p.severity for p in found] == ["warning"] * len(warned)
    assert [p.message.split()[0] for p in found] == warned
    assert all("not a freephone number" in p.message and "bill" in p.message for p in found)
