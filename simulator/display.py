"""Show the engine's events in a terminal: what the caller hears, what the phone shows."""

from __future__ import annotations

import textwrap
from urllib.parse import urlsplit

from simulator import engine

WIDTH = 88


def _wrapped(label: str, text: str) -> list[str]:
    indent = " " * (len(label) + 4)
    lines = textwrap.wrap(text, WIDTH, initial_indent=f"  {label}: ", subsequent_indent=indent)
    return lines or [f"  {label}:"]


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def listening(event: engine.Listening) -> str:
    what = []
    if event.dtmf:
        if event.num_digits == 1:
            what.append("1 key")
        elif event.num_digits:
            what.append(f"{event.num_digits} keys")
        else:
            finish = f"ending with {event.finish_on_key}" if event.finish_on_key else "no finish key"
            what.append(f"keys ({finish})")
    if event.speech:
        what.append("a phrase")
    return f"  Gather: listening {event.timeout} s for {' or '.join(what)}"


# WhatsApp shows a message whole, up to this many characters (Twilio's limit for a body).
WHATSAPP_LIMIT = 1600


def whatsapp(event: engine.Message) -> list[str]:
    """The reply as a WhatsApp chat shows it: one bubble, however long, with no segments."""
    lines = ["  WhatsApp reply:"]
    for paragraph in event.text.split("\n"):
        lines += ["  \u2502 " + line for line in textwrap.wrap(paragraph, WIDTH - 4) or [""]]
    lines += [f"  \u2502 [media: {url}]" for url in event.media]
    fits = "one message" if len(event.text) <= WHATSAPP_LIMIT else f"OVER the {WHATSAPP_LIMIT} limit"
    lines.append(f"  ({len(event.text)} characters, {fits})")
    return lines


def sms(event: engine.Message) -> list[str]:
    """The message as a phone shows it, then its size as the network counts it."""
    if event.channel == "whatsapp":
        return whatsapp(event)
    lines = [f"  Message{f' to {event.to}' if event.to else ''}:"]
    for paragraph in event.text.split("\n"):
        lines += ["  | " + line for line in textwrap.wrap(paragraph, WIDTH - 4) or [""]]
    lines += [f"  | [media: {url}]" for url in event.media]
    plural = "" if event.segments == 1 else "s"
    lines.append(f"  ({len(event.text)} characters, {event.encoding}, {event.segments} segment{plural})")
    return lines


def lines(event: engine.Event, *, verbose: bool = False) -> list[str]:
    """The lines that show one event; requests only when `verbose`."""
    match event:
        case engine.Said(text, loop):
            return _wrapped("Say" if loop == 1 else f"Say (x{loop or 'until the call moves on'})", text)
        case engine.Played(url):
            return [f"  Play: {url}"]
        case engine.Paused(seconds):
            return [f"  Pause: {seconds} s"]
        case engine.Listening():
            return [listening(event)]
        case engine.Dialling(number, name):
            return [f"  Dial: Connecting to {name or 'a number not in the directory'} ({number})"]
        case engine.DialEnded(status):
            return [f"  Dial ended: {status}"]
        case engine.Input(keys, phrase):
            did = f"pressed {keys}" if keys else f"said {phrase!r}" if phrase else "is silent"
            return [f"  (caller {did})"]
        case engine.Redirected(method, url):
            return [f"  Redirect: {method} {_path(url)}"]
        case engine.Requested(method, url, form):
            asked = {
                k: v
                for k, v in form.items()
                if k in ("Body", "Latitude", "Longitude", "Digits", "SpeechResult", "DialCallStatus")
            }
            shown = ", ".join(f"{k}={v!r}" for k, v in asked.items())
            return [f"  -> {method} {url}{f' ({shown})' if shown else ''}"] if verbose else []
        case engine.Message():
            return sms(event)
        case engine.NoReply():
            return ["  (empty <Response/>: no reply is sent)"]
        case engine.Note(text):
            return [f"  Note: {text}"]
        case engine.Ended(reason):
            return [f"  Call ended: {reason}"]
        case engine.Problem(text):
            return _wrapped("PROBLEM", text)
    raise AssertionError(f"no display for {event!r}")
