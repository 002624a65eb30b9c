"""Several directories, each answering the Twilio numbers it lists; one answers all others."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from helpline.directory import DATA_FOLDER, Directory, DirectoryError, load_directory


@dataclass(frozen=True)
class Catalogue:
    directories: tuple[Directory, ...]
    default: Directory
    by_number: Mapping[str, Directory]

    def for_number(self, number: str) -> Directory:
        """The directory for the Twilio number that was texted or called (`To`)."""
        return self.by_number.get(number.strip(), self.default)


def directory_files(path: Path | str = DATA_FOLDER) -> list[Path]:
    """A directory file, or every *.toml file in a folder, in name order."""
    path = Path(path)
    return sorted(path.glob("*.toml")) if path.is_dir() else [path]


def load_catalogue(path: Path | str = DATA_FOLDER) -> Catalogue:
    """Load every directory at `path`; raise DirectoryError listing every fault in every file."""
    files = directory_files(path)
    problems: list[str] = []
    directories: list[Directory] = []
    if not files:
        raise DirectoryError([f"{path}: holds no directory (*.toml) files"])
    for file in files:
        try:
            directories.append(load_directory(file))
        except DirectoryError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DirectoryError(problems)

    if len(directories) == 1:
        default = directories[0]
    else:
        defaults = [d for d in directories if d.default]
        if len(defaults) != 1:
            names = ", ".join(str(d.path) for d in defaults) or "none"
            raise DirectoryError(
                [f"{d.path}: directory.default: exactly one directory must be the default (now: {names})"
                 for d in (defaults or directories)]
            )  # fmt: skip
        default = defaults[0]

    by_number: dict[str, Directory] = {}
    for directory in directories:
        for number in directory.numbers:
            if number in by_number:
                other = by_number[number].path
                problems.append(
                    f"{directory.path}: directory.numbers: {number} is already answered by {other}"
                )
            by_number[number] = directory
    if problems:
        raise DirectoryError(problems)
    return Catalogue(tuple(directories), default, MappingProxyType(by_number))
