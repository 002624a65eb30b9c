"""The loaded directory and its keyword index, held on the app for the life of the process."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from helpline.directory import DEFAULT_DIRECTORY, Directory, DirectoryError, load_directory
from helpline.match import Matcher


@dataclass(frozen=True)
class Router:
    directory: Directory
    matcher: Matcher


def load_router(path: str | Path | None, logger: logging.Logger) -> Router | None:
    """Load once at start. A broken directory is logged loudly and the app answers from
    the built-in national line rather than failing every call."""
    try:
        directory = load_directory(path or DEFAULT_DIRECTORY)
        return Router(directory, Matcher.for_directory(directory))
    except DirectoryError as exc:
        logger.critical(
            "Helpline directory refused; answering with the built-in national line only:\n%s", exc
        )
    except Exception as exc:  # e.g. a file that is not UTF-8: the app must still start
        logger.critical(
            "Helpline directory %s could not be loaded (%s: %s); answering with the built-in "
            "national line only.",
            path or DEFAULT_DIRECTORY,
            type(exc).__name__,
            exc,
        )
    return None


def current_router() -> Router | None:
    router: Router | None = current_app.extensions["helpline"]
    return router
