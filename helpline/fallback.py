"""The answer of last resort, built into the code so that it needs no directory file.

Used when the directory cannot be loaded or a webhook fails: the caller still gets the
national 24/7 helpline and the 999 advice, never Twilio's application-error message. Where a
directory did load, `words_for` gives the same answer in its default language and voice.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpline.directory import Directory
from helpline.replies import Phrasing
from helpline.text import spoken_number

NATIONAL_NAME = "National Domestic Abuse Helpline"
NATIONAL_NUMBER = "+448082000247"
NATIONAL_WRITTEN = "0808 2000 247"

SMS = (
    f"{NATIONAL_NAME}: call {NATIONAL_WRITTEN}, free, 24/7. "
    "In danger now? Call 999. Can't speak? Stay on the line; on a mobile, press 55 when prompted."
)
VOICE = (
    "If you are in danger now, hang up and call 999. On a mobile and cannot speak? "
    "Call 999, stay on the line, and press 5 5 when prompted. "
    f"Connecting you to the {NATIONAL_NAME}, open 24 hours. Please hold."
)
VOICE_AFTER_DIAL = (
    f"If the call did not connect, please call the {NATIONAL_NAME} on "
    "0 8 0 8, 2 0 0 0, 2 4 7. If you are in danger now, call 999. Goodbye."
)
VOICE_NAME = "Polly.Amy"
VOICE_LANGUAGE = "en-GB"


@dataclass(frozen=True)
class Words:
    """What the last-resort answer says, and the number its call dials."""

    sms: str
    voice: str
    voice_after_dial: str
    voice_name: str
    voice_language: str
    number: str


BUILT_IN = Words(SMS, VOICE, VOICE_AFTER_DIAL, VOICE_NAME, VOICE_LANGUAGE, NATIONAL_NUMBER)


def words_for(directory: Directory) -> Words:
    """The last-resort answer in the directory's default language, from its own texts and 24/7
    line; the built-in English words if those cannot be put together."""
    try:
        code = directory.default_language
        language = directory.languages[code]
        texts = language.texts
        national = directory.national_service
        name = national.name_in(code)
        sms = Phrasing(directory, code).service_sms(national)
        voice = f"{texts['voice_greeting']} {texts['voice_no_choice'].format(name=name)}"
        after = texts["voice_readout"].format(name=name, number=spoken_number(national.written))
        return Words(sms, voice, after, language.voice, language.voice_language, national.number)
    except (KeyError, ValueError, IndexError, AttributeError):
        return BUILT_IN
