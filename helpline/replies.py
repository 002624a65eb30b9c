"""The words of every text message, built from the directory's texts and facts."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from helpline.directory import Directory, Service
from helpline.match import Intent, Match


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


def sms_reply(directory: Directory, match: Match) -> str | None:
    """The text to send back, or None where no reply is right (opt-out words)."""
    if match.intent is Intent.SILENT:
        return None
    if match.intent is Intent.SERVICES:
        return services_sms(directory, match.services)
    return menu_sms(directory)


def every_sms(directory: Directory, max_combined: int = 8) -> Iterator[tuple[str, str]]:
    """Every text the directory can send, labelled, for the budget check.

    Messages naming several services are checked for every combination when there are
    at most `max_combined` services, and for every pair beyond that.
    """
    yield "menu", menu_sms(directory)
    keys = list(directory.services)
    for key in keys:
        yield f"services.{key}", services_sms(directory, [key])
    largest = len(keys) if len(keys) <= max_combined else 2
    for size in range(2, largest + 1):
        for combo in itertools.combinations(keys, size):
            yield "services " + " + ".join(combo), services_sms(directory, combo)
