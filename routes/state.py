"""The loaded directory, its keyword index and the postcode table, held on the app for the life
of the process: everything is read and built here, once, never on a request."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from helpline.directory import DEFAULT_DIRECTORY, Directory, DirectoryError, load_directory
from helpline.match import Matcher
from helpline.postcode import PostcodeTable, PostcodeTableError


@dataclass(frozen=True)
class Router:
    directory: Directory
    matcher: Matcher


def load_router(path: str | Path | None, logger: logging.Logger) -> Router | None:
    """Load once at start. A broken directory is logged loudly and the app answers from
    the built-in national line rather than failing every call."""
    try:
        directory = load_directory(path or DEFAULT_DIRECTORY)
    except DirectoryError as exc:
        logger.critical(
            "Helpline directory refused; answering with the built-in national line only:\n%s", exc
        )
        return None
    return Router(directory, Matcher.for_directory(directory, load_postcodes(directory, logger)))


def load_postcodes(directory: Directory, logger: logging.Logger) -> PostcodeTable | None:
    """The UK postcode table, for a UK directory. If it cannot be read, texts are still
    answered by keyword, and a postcode gets the menu."""
    if directory.country != "GB":
        return None
    try:
        return PostcodeTable.load()
    except PostcodeTableError as exc:
        logger.critical("Postcode table refused; postcodes will get the menu:\n%s", exc)
        return None


def current_router() -> Router | None:
    router: Router | None = current_app.extensions["helpline"]
    return router
