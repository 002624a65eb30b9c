"""The baseline for `make loadtest`: the smallest Flask app, answering every POST the router takes."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.post("/sms")
@app.post("/voice")
@app.post("/voice/<path:rest>")
def hello(rest: str = "") -> str:
    return "Hello, World!"
