from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from helpline.directory import DEFAULT_DIRECTORY, Directory, load_directory
from tests.twilio_fake import TOKEN, Twilio


@pytest.fixture(scope="session")
def directory() -> Directory:
    return load_directory(DEFAULT_DIRECTORY)


@pytest.fixture
def app() -> Iterator[Flask]:
    yield create_app({"TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": "", "HELPLINE_DIRECTORY": ""})


@pytest.fixture
def twilio(app: Flask) -> Twilio:
    return Twilio(app.test_client())


@pytest.fixture
def broken_directory(tmp_path: Path) -> Path:
    path = tmp_path / "broken.toml"
    path.write_text(
        DEFAULT_DIRECTORY.read_text().replace('number = "+448088010800"', 'number = "0808 80 10 800"')
    )
    return path
