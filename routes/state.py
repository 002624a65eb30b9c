"""The loaded directories, their keyword indexes and the postcode table, held on the app for the
life of the process: everything is read and built here, once, never on a request."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from helpline.catalogue import Catalogue, load_catalogue
from helpline.directory import DATA_FOLDER, Directory, DirectoryError
from helpline.fallback import Words, words_for
from helpline.match import Matcher
from helpline.places import PlaceTable, PlaceTableError
from helpline.postcode import PostcodeTable, PostcodeTableError

WHATSAPP = "whatsapp:"


@dataclass(frozen=True)
class Router:
    """One directory with the indexes that read texts and speech for it."""

    directory: Directory
    matcher: Matcher
    languages: Matcher
    fallback: Words


@dataclass(frozen=True)
class Loaded:
    """The catalogue of directories, and a router for each (by its file)."""

    catalogue: Catalogue
    routers: Mapping[Path, Router]

    def for_number(self, number: str) -> Router:
        return self.routers[self.catalogue.for_number(number).path]


def _router(
    directory: Directory, postcodes: PostcodeTable | None, places: PlaceTable | None = None
) -> Router:
    serves = postcodes is not None and directory.country == "GB" and postcodes.serves(directory.services)
    uk_postcodes = postcodes if serves else None
    uk_places = places if places and directory.country == "GB" and places.serves(directory.services) else None
    return Router(
        directory,
        Matcher.for_directory(directory, uk_postcodes, places=uk_places),
        Matcher.for_languages(directory),
        words_for(directory),
    )


def load(path: str | Path | None, logger: logging.Logger) -> Loaded | None:
    """Load once at start. A broken directory is logged loudly and the app answers from
    the built-in national line rather than failing every call."""
    try:
        catalogue = load_catalogue(path or DATA_FOLDER)
    except DirectoryError as exc:
        logger.critical(
            "Helpline directory refused; answering with the built-in national line only:\n%s", exc
        )
        return None
    except Exception as exc:  # e.g. a file that is not UTF-8: the app must still start
        logger.critical(
            "Helpline directory %s could not be loaded (%s: %s); answering with the built-in "
            "national line only.",
            path or DATA_FOLDER,
            type(exc).__name__,
            exc,
        )
        return None
    postcodes = load_postcodes(catalogue.directories, logger)
    places = load_places(catalogue.directories, logger)
    return Loaded(catalogue, {d.path: _router(d, postcodes, places) for d in catalogue.directories})


def load_postcodes(directories: tuple[Directory, ...], logger: logging.Logger) -> PostcodeTable | None:
    """The UK postcode table, once, if any directory is a UK one. If it cannot be read, texts
    are still answered by keyword, and a postcode gets the menu."""
    if not any(d.country == "GB" for d in directories):
        return None
    try:
        return PostcodeTable.load()
    except PostcodeTableError as exc:
        logger.critical("Postcode table refused; postcodes will get the menu:\n%s", exc)
        return None


def load_places(directories: tuple[Directory, ...], logger: logging.Logger) -> PlaceTable | None:
    """The UK place-name table, once, if any directory is a UK one; without it, texts naming a
    town get the menu."""
    if not any(d.country == "GB" for d in directories):
        return None
    try:
        return PlaceTable.load()
    except PlaceTableError as exc:
        logger.critical("Place table refused; place names will get the menu:\n%s", exc)
        return None


def current_router(to: str = "") -> Router | None:
    """The router for the Twilio number that was texted or called (a WhatsApp sender by its
    number), or None (built-in fallback)."""
    loaded: Loaded | None = current_app.extensions["helpline"]
    return loaded.for_number(to.removeprefix(WHATSAPP)) if loaded is not None else None


def is_whatsapp(address: str) -> bool:
    """Twilio writes WhatsApp senders and numbers as "whatsapp:+44...", on the SMS webhook."""
    return address.startswith(WHATSAPP)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
