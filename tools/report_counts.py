"""What each figures line came to, in the report's words, counted by day, channel and service.

The router writes what it did at each request (routes/sms.py, routes/voice.py); a report says
what a person got. The mapping, by meaning:

texts (sms, whatsapp), one line per message received:
  services, elsewhere          -> helpline-given (elsewhere: a place with no local service, the
                                  national line is given)
  menu                         -> menu (the keywords to text, with the national line)
  silent                       -> silent (an opt-out word such as STOP: no reply, by design)
calls (voice), one line per step of a call:
  connect at start or choose   -> helpline-given (put through: chosen, or after silence or
                                  wrong keys to the national line)
  connect at dialled           -> failover (the helpline was busy, did not answer or failed:
                                  put through to the national line)
  menu                         -> menu (the greeting, or the menu read again on request)
  not-understood               -> not-understood (a key or phrase not understood: asked again)
  ended after completed/answered -> answered (a helpline answered; the call then ended)
  ended after any other status -> read-out (the national line failed too: its number read out)
every channel:
  fallback                     -> fallback (no directory, an error, an unknown step: the
                                  built-in national line was given)
  refused (HTTP 403)           -> refused (a bad signature: not sent by Twilio)
  anything else                -> other
Health checks and requests to no webhook (channels health and other) are not conversations:
they are counted apart.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from tools.report_lines import Figure

TEXT_CHANNELS = ("sms", "whatsapp")
CHANNELS = (*TEXT_CHANNELS, "voice")
CHANNEL_NAMES = {"sms": "SMS", "whatsapp": "WhatsApp", "voice": "Calls"}
OUTCOMES = {
    "helpline-given": "Helpline given",
    "menu": "Menu",
    "not-understood": "Not understood, asked again",
    "failover": "Failover to the national line",
    "answered": "Put through and answered",
    "read-out": "National line failed, number read out",
    "fallback": "Fallback (built-in national line)",
    "silent": "Silent (opt-out word)",
    "refused": "Refused (bad signature)",
    "other": "Other",
}
ANSWERED_STATUSES = frozenset({"completed", "answered"})
DIAL_STATUSES = frozenset({"completed", "answered", "busy", "no-answer", "failed", "canceled", "other"})
TEXT_OUTCOMES = {
    "services": "helpline-given",
    "elsewhere": "helpline-given",
    "menu": "menu",
    "silent": "silent",
}
VOICE_OUTCOMES = {"menu": "menu", "not-understood": "not-understood"}

Key = tuple[dt.date, str, str, str]  # day, channel, outcome, service


def outcome_of(figure: Figure) -> str:
    """The report's outcome for one figures line."""
    if figure.status == 403 or figure.outcome == "refused":
        return "refused"
    if figure.outcome == "fallback":
        return "fallback"
    if figure.channel in TEXT_CHANNELS:
        return TEXT_OUTCOMES.get(figure.outcome, "other")
    # A line without its step (an older format) is placed by `how`: only a Dial's end has a status.
    after_dial = figure.step == "dialled" or (figure.step == "unknown" and figure.how in DIAL_STATUSES)
    if figure.outcome == "connect":
        return "failover" if after_dial else "helpline-given"
    if figure.outcome == "ended" and after_dial:
        return "answered" if figure.how in ANSWERED_STATUSES else "read-out"
    return VOICE_OUTCOMES.get(figure.outcome, "other")


@dataclass
class Counts:
    """Requests counted by day, channel, outcome and service, and what was left out."""

    rows: Counter[Key] = field(default_factory=Counter)
    calls: Counter[dt.date] = field(default_factory=Counter)  # calls started, per day
    directories: Counter[str] = field(default_factory=Counter)
    not_conversations: Counter[str] = field(default_factory=Counter)
    outside_range: int = 0

    @property
    def days(self) -> list[dt.date]:
        return sorted({key[0] for key in self.rows} | set(self.calls))

    def total(self, channels: tuple[str, ...] = CHANNELS, outcome: str | None = None) -> int:
        return sum(n for (_, c, o, _), n in self.rows.items() if c in channels and outcome in (None, o))

    def texts(self) -> int:
        """Texts received, refused ones left out."""
        return self.total(TEXT_CHANNELS) - self.total(TEXT_CHANNELS, "refused")


def count(
    figures: list[Figure],
    zone: ZoneInfo,
    first: dt.date | None = None,
    last: dt.date | None = None,
    directory: str | None = None,
) -> Counts:
    """Count the figures whose day (in `zone`) lies from `first` to `last`, both included."""
    counts = Counts()
    for figure in figures:
        if directory is not None and figure.directory != directory:
            continue
        day = dt.datetime.fromtimestamp(figure.timestamp_ms / 1000, zone).date()
        if (first is not None and day < first) or (last is not None and day > last):
            counts.outside_range += 1
            continue
        if figure.channel not in CHANNELS:
            counts.not_conversations[figure.channel] += 1
            continue
        outcome = outcome_of(figure)
        counts.rows[(day, figure.channel, outcome, figure.service)] += 1
        counts.directories[figure.directory] += 1
        if figure.channel == "voice" and figure.step == "start" and outcome != "refused":
            counts.calls[day] += 1
    return counts
