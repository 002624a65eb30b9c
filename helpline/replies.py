"""The words of every text message, built from the directory's texts and facts.

A reply depends on the language asked for and, for services with a schedule, on the time: a
closed line says when it opens and gives the 24/7 line beside it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from helpline.directory import Directory, Service
from helpline.hours import Schedule, Status, opening
from helpline.match import Intent, Match
from helpline.postcode import Place

T = TypeVar("T")


class Phrasing:
    """Texts for one directory, in one language, at one instant."""

    def __init__(self, directory: Directory, language: str | None = None, now: dt.datetime | None = None):
        self.directory = directory
        self.language: str = (
            language
            if language is not None and language in directory.languages
            else directory.default_language
        )
        self.texts: Mapping[str, str] = directory.languages[self.language].texts
        self.now = now if now is not None else dt.datetime.now(dt.UTC)
        self.emergency = _emergency(self.texts)

    def when(self, moment: dt.datetime | None) -> str:
        """A local opening time as a day and a 24-hour time: "Mon 09:00"."""
        if moment is None:
            return "?"
        day = self.texts["weekdays"].split()[moment.weekday()]
        return f"{day} {moment:%H:%M}"

    def hours(self, service: Service) -> str:
        texts = self.texts
        national = self.directory.national_service
        if service.always_open:
            return texts["sms_hours_24_7"]
        state = opening(service.hours, self.now)
        if state.status is Status.OPEN:
            return texts["sms_hours_open"].format(until=f"{state.until:%H:%M}" if state.until else "?")
        if state.status is Status.CLOSED:
            return texts["sms_hours_closed"].format(
                opens=self.when(state.opens),
                national_name=national.name_in(self.language),
                national_number=national.written,
            )
        return texts["sms_hours_not_confirmed"].format(
            national_name=national.name_in(self.language), national_number=national.written
        )

    def service_sms(self, service: Service) -> str:
        """One helpline in full: name, number, cost, hours, text line, and the 999 advice."""
        texts = self.texts
        text_number = (
            texts["sms_text_number"].format(text_number=service.text_number) if service.text_number else ""
        )
        return texts["sms_service"].format(
            name=service.display_name_in(self.language),
            number=service.written,
            free=texts["sms_free"] if service.free else "",
            hours=self.hours(service),
            text_number=text_number,
            emergency=self.emergency,
        )

    def entry_hours(self, service: Service) -> str:
        if service.always_open:
            return self.texts["sms_hours_24_7"]
        state = opening(service.hours, self.now)
        if state.status is Status.CLOSED:
            return self.texts["sms_entry_closed"].format(opens=self.when(state.opens))
        return ""

    def services_sms(self, keys: Sequence[str]) -> str:
        """Several helplines, one short entry each, then the 999 advice."""
        services = [self.directory.services[key] for key in keys]
        if len(services) == 1:
            return self.service_sms(services[0])
        entries = [
            self.texts["sms_services_entry"].format(
                label=s.label_in(self.language),
                name=s.name_in(self.language),
                number=s.written,
                hours=self.entry_hours(s),
            )
            for s in services
        ]
        return self.texts["sms_services"].format(services=" ".join(entries), emergency=self.emergency)

    def elsewhere_sms(self, places: Sequence[Place]) -> str:
        """For places with no service here (Isle of Man, BFPO...): say so, and give the national line."""
        national = self.directory.national_service
        return self.texts["sms_no_local_service"].format(
            places=_listed(p.label for p in places),
            national_name=national.name_in(self.language),
            national_number=national.written,
            emergency=self.emergency,
        )

    def menu_sms(self) -> str:
        """The keywords to text, with the national line so that the menu is never a dead end.
        {keys} shows each keyword after its key of the phone menu, which a text may also be."""
        digits = {option.service: option.digit for option in self.directory.menu}
        shown, keyed = [], []
        for key, service in self.directory.services.items():
            keyword = " ".join(service.keywords[0])
            label = service.label_in(self.language)
            shown.append(keyword if keyword == label.upper() else f"{keyword} ({label})")
            keyed.append(f"{digits[key]} {shown[-1]}" if key in digits else shown[-1])
        national = self.directory.national_service
        return self.texts["sms_menu"].format(
            keywords=", ".join(shown),
            keys=", ".join(keyed),
            national_name=national.name_in(self.language),
            national_number=national.written,
            emergency=self.emergency,
        )


def _emergency(texts: Mapping[str, str]) -> str:
    """The 999 advice that ends every reply, then the advice to delete it where the directory gives one."""
    delete = texts.get("sms_delete", "")
    return f"{texts['emergency_sms']} {delete}" if delete else texts["emergency_sms"]


def _listed(items: Iterable[str]) -> str:
    """A, B and C."""
    names = list(items)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def sms_reply(
    directory: Directory, match: Match, *, language: str | None = None, now: dt.datetime | None = None
) -> str | None:
    """The text to send back, or None where no reply is right (opt-out words)."""
    if match.intent is Intent.SILENT:
        return None
    phrasing = Phrasing(directory, language or match.language, now)
    if match.intent is Intent.SERVICES:
        return phrasing.services_sms(match.services)
    if match.intent is Intent.ELSEWHERE and match.places:
        return phrasing.elsewhere_sms(match.places)
    return phrasing.menu_sms()


def sample_instants(directory: Directory) -> list[dt.datetime]:
    """Instants that show every state a reply can take: one per hour of a week, plus each
    closure date. Replies vary with time only through schedules."""
    if not any(isinstance(s.hours, Schedule) for s in directory.services.values()):
        return [dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)]
    start = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)  # a Monday
    instants = [start + dt.timedelta(hours=h) for h in range(7 * 24)]
    for service in directory.services.values():
        if isinstance(service.hours, Schedule):
            for day in service.hours.closed:
                instants.append(dt.datetime.combine(day, dt.time(12), tzinfo=service.hours.zone))
    return instants


def every_sms(
    directory: Directory, elsewhere: Sequence[Place] = (), max_combined: int = 8
) -> Iterator[tuple[str, str]]:
    """Every distinct text the directory can send, labelled, for the budget check.

    Covers every language, every opening state (see sample_instants), and messages naming
    several services (or several places without one, `elsewhere`): every combination when
    there are at most `max_combined`, every pair beyond that.
    """
    service_combos = list(_combinations(list(directory.services), max_combined))
    place_combos = list(_combinations(list(elsewhere), max_combined))
    seen: set[str] = set()
    for language in directory.languages:
        for now in sample_instants(directory):
            phrasing = Phrasing(directory, language, now)
            candidates = [(f"{language}: menu", phrasing.menu_sms())]
            candidates += [
                (f"{language}: " + " + ".join(c), phrasing.services_sms(c)) for c in service_combos
            ]
            candidates += [
                (f"{language}: elsewhere " + " + ".join(p.key for p in c), phrasing.elsewhere_sms(c))
                for c in place_combos
            ]
            for label, text in candidates:
                if text not in seen:
                    seen.add(text)
                    yield label, text


def _combinations(items: list[T], max_combined: int) -> Iterator[tuple[T, ...]]:
    largest = len(items) if len(items) <= max_combined else 2
    for size in range(1, largest + 1):
        yield from itertools.combinations(items, size)
