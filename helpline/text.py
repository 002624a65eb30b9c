"""Text rules shared by matching and replies: word normalisation and the SMS alphabet."""

from __future__ import annotations

import re
import unicodedata

# Characters of the GSM 03.38 default alphabet; anything else forces UCS-2,
# which cuts a segment from 153 to 67 characters.
_GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension characters cost two septets each (escape + character).
_GSM7_EXTENDED = "^{}\\[~]|€\f"
_GSM7 = frozenset(_GSM7_BASIC)
_GSM7_EXT = frozenset(_GSM7_EXTENDED)

# Characters a phone counts in one segment, and in each part of a longer text, by encoding.
SEGMENT_SIZES = {"GSM-7": (160, 153), "UCS-2": (70, 67)}
# Typographic characters with a GSM-7 twin: one of them turns a whole text into UCS-2.
GSM7_TWINS = {
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
    "\u2026": "...", "\u00a0": " ",
}  # fmt: skip

_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_NOT_WORD = re.compile(r"[^A-Z0-9]+")


def words(text: str) -> tuple[str, ...]:
    """Split text into upper-case ASCII words, ignoring case, accents and punctuation.

    Apostrophes join (MEN'S -> MENS); every other non-alphanumeric splits.
    """
    if text.isascii():  # most texts: nothing to fold
        plain = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _APOSTROPHES.sub("", plain.upper())
    return tuple(w for w in _NOT_WORD.split(plain) if w)


def is_gsm7(text: str) -> bool:
    """True when every character is in the GSM-7 default alphabet or its extension."""
    return all(c in _GSM7 or c in _GSM7_EXT for c in text)


def gsm7_length(text: str) -> int:
    """Septets the text needs in GSM-7 (extension characters count twice)."""
    return sum(2 if c in _GSM7_EXT else 1 for c in text)


def sms_length(text: str) -> tuple[str, int]:
    """The encoding a phone would use for this text and its length in that encoding's units
    (septets for GSM-7, 16-bit units for UCS-2)."""
    if is_gsm7(text):
        return "GSM-7", gsm7_length(text)
    return "UCS-2", len(text.encode("utf-16-le")) // 2


def sms_segments(text: str) -> tuple[str, int]:
    """The encoding a phone would use for this text and how many segments it takes."""
    encoding, length = sms_length(text)
    single, part = SEGMENT_SIZES[encoding]
    return encoding, 1 if length <= single else -(-length // part)


def sms_capacity(encoding: str, segments: int) -> int:
    """The longest text, in the encoding's units, that fits `segments` segments."""
    single, part = SEGMENT_SIZES[encoding]
    return single if segments == 1 else part * segments


def spoken_number(written: str) -> str:
    """Digits spaced for a voice to read one by one, pausing between groups.

    "0808 2000 247" -> "0 8 0 8, 2 0 0 0, 2 4 7"
    """
    groups = [" ".join(ch for ch in group if ch.isdigit()) for group in written.split()]
    return ", ".join(g for g in groups if g)
