"""`python -m simulator`: text or call the router from a terminal, as a phone would through Twilio.

    sms "WALES"                                  the reply, as the phone shows it
    whatsapp "WALES"                             the same on WhatsApp, as the chat shows it
    whatsapp --pin=51.48,-3.18                   a shared location pin
    call                                         a call played in the terminal: Enter = silence
    call --press 2 --dial busy --dial completed  the same, scripted
    tour                                         every key, phrase, silence and Dial outcome

By default the app runs in this process with the directory of --directory (or
HELPLINE_DIRECTORY, or the shipped one). --url sends the requests to a running server or a
deployed API instead, signed with --token or TWILIO_AUTH_TOKEN.

Exit status: 0 when all went as TwiML allows, 1 when a problem was reported (an unknown verb,
a reply that is not TwiML, an HTTP error, a loop, or a failed tour check), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import secrets
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from helpline import fallback
from helpline.catalogue import load_catalogue
from helpline.directory import DATA_FOLDER, Directory, DirectoryError
from helpline.text import words
from simulator import display, engine, params, tour
from simulator.transport import InProcess, OverHttp, Transport

LOCAL_BASE = "http://localhost"
DIAL_ANSWERS = {"c": "completed", "b": "busy", "n": "no-answer", "f": "failed"}


class Step(argparse.Action):
    """Collects --press/--say/--silence/--dial/--hang-up in the order given."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,
    ) -> None:
        steps = list(getattr(namespace, "steps", None) or [])
        steps.append((self.const, values if isinstance(values, str) else ""))
        namespace.steps = steps


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", help="a running server or deployed API (default: the app in-process)")
    common.add_argument("--token", help="the auth token to sign with (default: TWILIO_AUTH_TOKEN)")
    common.add_argument(
        "--directory",
        default=os.environ.get("HELPLINE_DIRECTORY") or None,
        help="directory file or folder (default: HELPLINE_DIRECTORY, else data/); with --url, "
        "only used to name the numbers dialled",
    )
    common.add_argument(
        "--from", dest="caller", default=params.CALLER, help="the phone number texting or calling"
    )
    common.add_argument(
        "--to", default=params.HELPLINE_NUMBER, help="the Twilio number being texted or called"
    )
    common.add_argument("-v", "--verbose", action="store_true", help="show each request sent")

    top = argparse.ArgumentParser(
        prog="python -m simulator", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = top.add_subparsers(dest="command", required=True)
    sms = commands.add_parser("sms", parents=[common], help="send a text and show the reply")
    sms.add_argument("text", help="the message, e.g. WALES")
    sms.add_argument("--media", action="append", default=[], help="attach a picture URL (MMS)")
    whatsapp = commands.add_parser(
        "whatsapp", parents=[common], help="send a WhatsApp message or location pin and show the reply"
    )
    whatsapp.add_argument("text", nargs="?", default="", help="the message, e.g. WALES (none for a pin)")
    whatsapp.add_argument(
        "--pin", metavar="LAT,LON", help="share a location, e.g. --pin=51.48,-3.18 (sent as written)"
    )
    whatsapp.add_argument("--address", default="", help="the pin's address, as WhatsApp may add it")
    whatsapp.add_argument("--label", default="", help="the pin's place name, as WhatsApp may add it")
    whatsapp.add_argument("--picture", action="append", default=[], metavar="URL", help="attach a picture")
    whatsapp.add_argument(
        "--voice-note", action="append", default=[], metavar="URL", help="attach a voice note"
    )
    whatsapp.add_argument("--profile", default=params.PROFILE_NAME, help="the sender's WhatsApp profile name")
    call = commands.add_parser(
        "call", parents=[common], help="make a call; interactive unless steps are given"
    )
    call.set_defaults(steps=[])
    call.add_argument("--press", action=Step, const="press", metavar="KEYS", help="press keys at a Gather")
    call.add_argument("--say", action=Step, const="say", metavar="PHRASE", help="say a phrase at a Gather")
    call.add_argument("--silence", action=Step, const="silence", nargs=0, help="stay silent at a Gather")
    call.add_argument(
        "--dial",
        action=Step,
        const="dial",
        metavar="STATUS",
        help="end a Dial: completed, busy, no-answer, failed",
    )
    call.add_argument("--hang-up", action=Step, const="hang-up", nargs=0, help="the caller hangs up")
    commands.add_parser("tour", parents=[common], help="walk every path of the phone menu and check it")
    return top


@contextlib.contextmanager
def environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def local_transport(token: str, directory: str, *, figures: bool = False) -> InProcess:
    """The app of this repository, in this process, with this token and directory. Its
    per-request figures lines (stdout) are shown only when `figures` is set (-v)."""
    settings = {"TWILIO_AUTH_TOKEN": token, "HELPLINE_DIRECTORY": directory, "PUBLIC_BASE_URL": ""}
    with environment(**settings):  # the module builds its `app` on import, from the environment
        import app as module
    flask_app = module.app
    if any(flask_app.config.get(name) != value for name, value in settings.items()):
        flask_app = module.create_app(settings)
    return InProcess(flask_app.test_client(), token, LOCAL_BASE, quiet=not figures)


def setup(args: argparse.Namespace) -> tuple[Transport, Directory | None]:
    """Where requests go, and the directory that names what is dialled."""
    path = args.directory or ""
    directory = None
    try:
        # the directory that answers the number called, as the app chooses it
        directory = load_catalogue(Path(path) if path else DATA_FOLDER).for_number(args.to)
        print(f"Directory: {shown_path(directory.path)} ({directory.name})")
    except DirectoryError as exc:
        if args.url:
            print(f"Directory {path} is refused (used here only to name numbers):")
            print(*(f"  {p}" for p in exc.problems), sep="\n")
        else:
            print(f"Directory {path} is refused: the app answers with its built-in national line only.")
            print("The app's log says why:")
    token = args.token or os.environ.get("TWILIO_AUTH_TOKEN") or ""
    if args.url:
        if not token:
            raise SystemExit("--url needs the auth token the server checks: --token or TWILIO_AUTH_TOKEN.")
        print(f"Sending to {args.url}, signed with the given token.")
        return OverHttp(token, args.url.rstrip("/")), directory
    return local_transport(
        token or "simulator-" + secrets.token_hex(8), path, figures=args.verbose
    ), directory


def shown_path(path: Path) -> str:
    """A path as the operator would type it: relative to the current directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def listed(directory: Directory | None) -> dict[str, str]:
    """The directory's numbers and the names of their helplines."""
    return {s.number: s.name for s in directory.services.values()} if directory else {}


def names(directory: Directory | None) -> dict[str, str]:
    """Names for the numbers a call may dial: the directory's, and the app's built-in last resort."""
    return {fallback.NATIONAL_NUMBER: fallback.NATIONAL_NAME, **listed(directory)}


def show(events: Sequence[engine.Event], verbose: bool, *, echo_input: bool = True) -> None:
    for event in events:
        if echo_input or not isinstance(event, engine.Input):
            for line in display.lines(event, verbose=verbose):
                print(line)
    sys.stdout.flush()


def run_sms(args: argparse.Namespace, transport: Transport) -> int:
    print(f"{args.caller} texts {args.to}: {args.text!r}")
    text = engine.Text(transport, args.text, sender=args.caller, to=args.to, media=tuple(args.media)).send()
    show(text.events, args.verbose)
    return 1 if text.problem else 0


def pin(value: str) -> tuple[str, str]:
    """LAT,LON as typed, unchecked: the app is what must refuse a broken pin."""
    latitude, _, longitude = value.partition(",")
    return latitude.strip(), longitude.strip()


def run_whatsapp(args: argparse.Namespace, transport: Transport) -> int:
    media = tuple((url, "image/jpeg") for url in args.picture)
    media += tuple((url, "audio/ogg") for url in args.voice_note)
    shared = pin(args.pin) if args.pin is not None else None
    sent = [f"{args.text!r}"] if args.text or not (shared or media) else []
    if shared:
        sent.append("a location pin")  # where it is stays out of the output, as in the app
    sent += [f"a {'voice note' if kind.startswith('audio') else 'picture'}" for _, kind in media]
    print(f"{args.caller} sends on WhatsApp to {args.to}: {', '.join(sent)}")
    message = engine.WhatsApp(
        transport,
        args.text,
        sender=args.caller,
        to=args.to,
        media=media,
        pin=shared,
        address=args.address,
        label=args.label,
        profile=args.profile,
    ).send()
    show(message.events, args.verbose)
    return 1 if message.problem else 0


def play(call: engine.Call, step: str, value: str) -> None:
    if step == "press":
        call.press("".join(value.split()))
    elif step == "say":
        call.say(value)
    elif step == "silence":
        call.silence()
    elif step == "dial":
        call.dial_ends(DIAL_ANSWERS.get(value.strip().lower(), value.strip().lower()))
    else:
        call.hang_up()


def ask(call: engine.Call) -> tuple[str, str] | None:
    """One line from the person at the keyboard: keys, a phrase, Enter, or a Dial outcome."""
    if call.waiting_for == "Dial":
        prompt = "Dial outcome? [c]ompleted, [b]usy, [n]o-answer, [f]ailed (Ctrl-D hangs up)> "
    else:
        prompt = "Keys, or words to say, or Enter for silence (Ctrl-D hangs up)> "
    try:
        line = input(prompt).strip()
    except EOFError:
        print()
        return None
    if call.waiting_for == "Dial":
        return ("dial", line)
    if not line:
        return ("silence", "")
    if set(line.replace(" ", "")) <= engine.KEYS:
        return ("press", line)
    return ("say", line)


def run_call(args: argparse.Namespace, transport: Transport, directory: Directory | None) -> int:
    interactive = not args.steps
    print(f"{args.caller} calls {args.to}" + (" (interactive)" if interactive else ""))
    call = engine.Call(transport, caller=args.caller, to=args.to, names=names(directory))
    call.start()
    shown = len(call.events)
    show(call.events, args.verbose)
    steps = list(args.steps)
    while not call.ended:
        if interactive:
            answer = ask(call) or ("hang-up", "")
        elif steps:
            answer = steps.pop(0)
        else:
            print(f"  (script ended; the call is still waiting for the {call.waiting_for})")
            return 0
        try:
            play(call, *answer)
        except engine.CallError as exc:
            print(f"  Cannot {answer[0]} {answer[1]!r} now: {exc}".replace(" ''", ""))
            if not interactive:
                return 2
        show(call.events[shown:], args.verbose, echo_input=not interactive)
        shown = len(call.events)
    if steps:
        print(f"  (the call ended with {len(steps)} step(s) of the script unused)")
    return 1 if call.problem else 0


def phrases(directory: Directory | None) -> list[str]:
    """What a caller might say: each place or line offered, each repeat word, and something unknown."""
    found: dict[str, str] = {}
    if directory:
        for option in directory.menu:
            service = directory.services[option.service]
            for phrase in (service.label, *(" ".join(k) for k in service.keywords)):
                found.setdefault(" ".join(words(phrase)), phrase)
        for repeat in sorted(directory.repeat_words):
            found.setdefault(" ".join(repeat), " ".join(repeat).lower())
    found.setdefault("", tour.UNKNOWN_PHRASE)
    return list(found.values())


def run_tour(args: argparse.Namespace, transport: Transport, directory: Directory | None) -> int:
    if directory is None:
        print("The tour checks a directory against its own numbers: fix the directory first.")
        return 1
    result = tour.walk(
        lambda: engine.Call(transport, caller=args.caller, to=args.to, names=names(directory)),
        phrases(directory),
        listed(directory),
    )
    print(
        f"{len(result.places)} places where the call waits; at each, every key, phrase, silence "
        "or Dial outcome was tried:"
    )
    for line in tour.report(result):
        print(line)
    if result.unreached:
        print("Not reachable by phone (text only?): " + ", ".join(result.unreached))
    if result.ok:
        print("OK: every path reaches a helpline, silence included, with no problem in the TwiML.")
        return 0
    print(f"{len(result.findings)} finding(s):", *(f"  {f}" for f in result.findings), sep="\n")
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.caller = args.caller.removeprefix(params.WHATSAPP)
    args.to = args.to.removeprefix(params.WHATSAPP)  # the directory is chosen by the number
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)  # keep our lines in order with the app's log
    transport, directory = setup(args)
    if args.command == "sms":
        return run_sms(args, transport)
    if args.command == "whatsapp":
        return run_whatsapp(args, transport)
    if args.command == "call":
        return run_call(args, transport, directory)
    return run_tour(args, transport, directory)
