"""The words of every text message, built from the directory's texts and facts."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

from helpline.directory import Directory, Service
from helpline.match import Intent, Match
from helpline.postcode import Place

T = TypeVar("T")


def _hours(directory: Directory, service: Service) -> str:
    texts = directory.texts
    if service.always_open:
        return texts["sms_hours_24_7"]
    national = directory.national_service
    return texts["sms_hours_not_confirmed"].format(
        national_name=national.name, national_number=national.written
    )


def service_sms(directory: Directory, service: Service) -> str:
    """One helpline in full: name, number, cost, hours, text line, and the 999 advice."""
    texts = directory.texts
    text_number = (
        texts["sms_text_number"].format(text_number=service.text_number) if service.text_number else ""
    )
    return texts["sms_service"].format(
        name=service.display_name,
        number=service.written,
        free=texts["sms_free"] if service.free else "",
        hours=_hours(directory, service),
        text_number=text_number,
        emergency=texts["emergency_sms"],
    )


def services_sms(directory: Directory, keys: Sequence[str]) -> str:
    """Several helplines, one short entry each, then the 999 advice."""
    if len(keys) == 1:
        return service_sms(directory, directory.services[keys[0]])
    texts = directory.texts
    entries = []
    for key in keys:
        service = directory.services[key]
        entries.append(
            texts["sms_services_entry"].format(
                label=service.label,
                name=service.name,
                number=service.written,
                hours=texts["sms_hours_24_7"] if service.always_open else "",
            )
        )
    return texts["sms_services"].format(services=" ".join(entries), emergency=texts["emergency_sms"])


def menu_sms(directory: Directory) -> str:
    """The keywords to text, with the national line so that the menu is never a dead end."""
    shown = []
    for service in directory.services.values():
        keyword = " ".join(service.keywords[0])
        shown.append(keyword if keyword == service.label.upper() else f"{keyword} ({service.label})")
    national = directory.national_service
    return directory.texts["sms_menu"].format(
        keywords=", ".join(shown),
        national_name=national.name,
        national_number=national.written,
        emergency=directory.texts["emergency_sms"],
    )


def elsewhere_sms(directory: Directory, places: Sequence[Place]) -> str:
    """For places with no service here (Isle of Man, BFPO...): say so, and give the national line."""
    national = directory.national_service
    return directory.texts["sms_no_local_service"].format(
        places=_listed(p.label for p in places),
        national_name=national.name,
        national_number=national.written,
        emergency=directory.texts["emergency_sms"],
    )


def _listed(items: Iterable[str]) -> str:
    """A, B and C."""
    names = list(items)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def sms_reply(directory: Directory, match: Match) -> str | None:
    """The text to send back, or None where no reply is right (opt-out words)."""
    if match.intent is Intent.SILENT:
        return None
    if match.intent is Intent.SERVICES:
        return services_sms(directory, match.services)
    if match.intent is Intent.ELSEWHERE and match.places:
        return elsewhere_sms(directory, match.places)
    return menu_sms(directory)


def every_sms(
    directory: Directory, elsewhere: Sequence[Place] = (), max_combined: int = 8
) -> Iterator[tuple[str, str]]:
    """Every text the directory can send, labelled, for the budget check.

    Messages naming several services (or several places without one, `elsewhere`) are
    checked for every combination when there are at most `max_combined`, and for every
    pair beyond that.
    """
    yield "menu", menu_sms(directory)
    keys = list(directory.services)
    for combo in _combinations(keys, max_combined):
        yield "services " + " + ".join(combo), services_sms(directory, combo)
    for places in _combinations(list(elsewhere), max_combined):
        yield "elsewhere " + " + ".join(p.key for p in places), elsewhere_sms(directory, places)


def _combinations(items: list[T], max_combined: int) -> Iterator[tuple[T, ...]]:
    largest = len(items) if len(items) <= max_combined else 2
    for size in range(1, largest + 1):
        yield from itertools.combinations(items, size)
