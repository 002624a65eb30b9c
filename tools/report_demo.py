"""Made-up traffic through the real app, day by day, as figures lines: a sample for `make report`.

    python -m tools.report_demo --from 2026-10-01 --to 2026-12-31 > build/demo-figures.jsonl

Each text and call is sent, signed, to the app in this process, which writes its figures lines
as it would on Lambda; only each line's timestamp is moved to the made-up day. Every caller is
Ofcom's drama number and every text one of a fixed few. The docs' screenshot is made from it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import random
import secrets
import sys
from collections.abc import Callable
from typing import TextIO

from simulator.engine import Call, Text
from simulator.transport import InProcess

BASE = "https://router.example.org"
TEXTS = {"WALES": 14, "wales help": 4, "CYMRU": 3, "SCOTLAND": 10, "england": 18, "help please": 6,
         "MEN": 7, "NI": 5, "belfast": 2, "cardiff": 3, "CF10 1AA": 2, "G1 1AA": 2, "IM1 1AA": 1,
         "HELP": 8, "STOP": 3, "scotland or wales": 2}  # fmt: skip
Script = Callable[[Call], object]
CALLS: dict[str, tuple[int, Script]] = {
    "press 1, answered": (16, lambda c: c.press("1").dial_ends("completed")),
    "press 2, answered": (9, lambda c: c.press("2").dial_ends("completed")),
    "press 3, answered": (7, lambda c: c.press("3").dial_ends("completed")),
    "press 4, answered": (4, lambda c: c.press("4").dial_ends("completed")),
    "press 5, answered": (5, lambda c: c.press("5").dial_ends("completed")),
    "says Wales": (3, lambda c: c.say("Wales please").dial_ends("completed")),
    "press 2, busy, failover": (3, lambda c: c.press("2").dial_ends("busy").dial_ends("completed")),
    "press 3, no answer, failover": (2, lambda c: c.press("3").dial_ends("no-answer").dial_ends("completed")),
    "silent caller": (3, lambda c: c.silence().dial_ends("completed")),
    "wrong key, then 1": (3, lambda c: c.press("7").press("1").dial_ends("completed")),
    "hangs up at the menu": (4, lambda c: c.hang_up()),
}


def conversation_lines(send: Callable[[], object]) -> list[str]:
    """The figures lines the app prints while `send` runs."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        send()
    return out.getvalue().splitlines()


def demo(first: dt.date, last: dt.date, seed: int, write: TextIO) -> int:
    """Write a made-up day's worth of texts and calls for each day; return how many lines."""
    token = secrets.token_hex(16)
    os.environ.setdefault("TWILIO_AUTH_TOKEN", token)  # app.py builds an app from it on import
    from app import create_app

    app = create_app({"TWILIO_AUTH_TOKEN": token, "PUBLIC_BASE_URL": "", "HELPLINE_DIRECTORY": ""})
    transport = InProcess(app.test_client(), token, BASE)
    rng = random.Random(seed)
    texts, calls = list(TEXTS), list(CALLS)
    written = 0
    day = first
    while day <= last:
        busy = 1.4 if day.weekday() in (0, 6) else 1.0  # more on Sundays and Mondays
        sends: list[Callable[[], object]] = []
        for body in rng.choices(texts, [TEXTS[t] for t in texts], k=round(rng.randint(4, 12) * busy)):
            sends.append(lambda body=body: Text(transport, body).send())  # type: ignore[misc]
        for name in rng.choices(calls, [CALLS[c][0] for c in calls], k=round(rng.randint(3, 9) * busy)):
            script = CALLS[name][1]
            sends.append(lambda script=script: script(Call(transport).start()))  # type: ignore[misc]
        midnight = dt.datetime.combine(day, dt.time(), dt.UTC).timestamp()
        for send in sends:
            at = int((midnight + rng.uniform(0, 86_000)) * 1000)
            for line in conversation_lines(send):
                figures = json.loads(line)
                figures["_aws"]["Timestamp"] = at
                write.write(json.dumps(figures, separators=(",", ":")) + "\n")
                written += 1
                at += rng.randint(2_000, 20_000)
        day += dt.timedelta(days=1)
    return written


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--from", dest="first", type=dt.date.fromisoformat, default=dt.date(2026, 10, 1))
    p.add_argument("--to", dest="last", type=dt.date.fromisoformat, default=dt.date(2026, 12, 31))
    p.add_argument("--seed", type=int, default=2026)
    args = p.parse_args(argv)
    n = demo(args.first, args.last, args.seed, sys.stdout)
    print(f"{n} figures lines from {args.first} to {args.last}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
