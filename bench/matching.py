"""Time to read one text message: the shipped directory against one with 10,000 keywords, and
with place names against without; then the cost of the worst request a sender can make.

    python -m bench.matching        (make bench-match)

All use the full postcode table; "with places" adds the place-name table (data/places).
Each round times every message once in each, alternating, so that all see the same machine
load; the figures are the 50th and 99th percentiles of the time match_sms takes per message,
the others also given as a ratio to the shipped directory's (the baseline measured in the same
run).
Goals: p50 under 100 microseconds, and the 10,000-keyword directory within 1.5x; with places,
p99 under 200 microseconds.

The worst request: a signed SMS webhook (Flask test client, the app's own signature check) whose
Body is long random words up to the app's body limit, timed beside one whose Body is a keyword;
goals within 100x, and a 1,600-character text within 30x.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import random
import statistics
import sys
import time
from collections.abc import Callable

from helpline.directory import Directory, load_directory
from helpline.match import Matcher, match_sms
from helpline.places import PlaceTable
from helpline.postcode import PostcodeTable

MESSAGES = [
    "WALES",
    "scotland",
    "NI",
    "men",
    "Northern Ireland",
    "help",
    "",
    "STOP",
    "CF10 1AA",
    "cf101aa",
    "GL16 8PB",
    "TD15",
    "I'm in Cardiff CF10 1AA please",
    "i live in BT7 1NN can you help",
    "JE2 3AB",
    "ZZ1 1ZZ",
    "SCOTLND",
    "waels",
    "nothern ireland",
    "I live in scotlnd",
    "hello",
    "I need help please my husband is hitting me",
    "he has my phone and I am scared, I am at my mum's house in wales",
    "can someone call me back on this number after 6 tonight, I can't talk now, he is home",
    "wales or scotland?",
    "NP16 and SCOTLAND",
    "WOMEN",
    "whales",
    "BFPO 105",
    "I'm in Berwick TD15 1AA and I don't know who to call, my partner took the car keys",
    "Glasgow",
    "I'm in Cardiff",
    "co tyrone",
    "Newport",
    "I live in Reading please help",
    "m8 im in glasgow can u help",
    "my husband Barry hits me and I live near Swansea",
    "2",
]
KEYWORDS = 10_000
SERVICES = 200
_SYLLABLES = [c + v for c in "BCDFGHJKLMNPRSTVWZ" for v in "AEIOU"] + ["TH", "SH", "CH", "ST", "ND"]


def generated_directory(base: Directory, keywords: int = KEYWORDS, services: int = SERVICES) -> Directory:
    """The shipped directory plus `services` made-up services holding `keywords` made-up keywords,
    a tenth of them two words long."""
    rng = random.Random(20261126)
    taken = {phrase for s in base.services.values() for phrase in s.keywords}
    all_services = dict(base.services)
    keywords -= len(taken)  # in all, with the shipped directory's own
    per_service = -(-keywords // services)
    made = 0
    template = base.national_service
    for n in range(services):
        phrases: list[tuple[str, ...]] = []
        while len(phrases) < per_service and made < keywords:
            phrase = tuple(_word(rng) for _ in range(2 if rng.random() < 0.1 else 1))
            if phrase not in taken:
                taken.add(phrase)
                phrases.append(phrase)
                made += 1
        key = f"generated-{n:03d}"
        all_services[key] = dataclasses.replace(template, key=key, label=key, keywords=tuple(phrases))
    return dataclasses.replace(base, services=all_services)


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 6)))


def _time_once(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def percentile(samples: list[int], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] / 1000


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=300, help="times each message is read (default 300)")
    args = parser.parse_args(argv)
    rounds = max(1, min(args.rounds, 5000))

    started = time.perf_counter()
    table = PostcodeTable.load()
    table_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    places = PlaceTable.load()
    places_ms = (time.perf_counter() - started) * 1000
    shipped = load_directory()
    big = generated_directory(shipped)
    runs: dict[str, tuple[Directory, Matcher]] = {}
    build_ms: dict[str, float] = {}
    for name, directory, with_places in (
        ("shipped directory", shipped, None),
        (f"{KEYWORDS:,} keywords", big, None),
        ("shipped, with places", shipped, places),
    ):
        started = time.perf_counter()
        runs[name] = (directory, Matcher.for_directory(directory, table, places=with_places))
        build_ms[name] = (time.perf_counter() - started) * 1000

    samples: dict[str, list[int]] = {name: [] for name in runs}
    directory, matcher = runs["shipped directory"]
    first_slip = _time_once(lambda: match_sms("SCOTLND", matcher, directory.menu_words))
    again = _time_once(lambda: match_sms("SCOTLND", matcher, directory.menu_words))
    for directory, matcher in runs.values():  # warm up
        for body in MESSAGES:
            match_sms(body, matcher, directory.menu_words)
    clock = time.perf_counter_ns
    for _ in range(rounds):
        for name, (directory, matcher) in runs.items():
            menu_words = directory.menu_words
            times = samples[name]
            for body in MESSAGES:
                start = clock()
                match_sms(body, matcher, menu_words)
                times.append(clock() - start)

    count = sum(len(s.keywords) for s in big.services.values())
    print(f"match_sms time per message: {len(MESSAGES)} messages x {rounds} rounds, full postcode table")
    print(
        f"(postcode table loaded in {table_ms:.1f} ms, place names in {places_ms:.1f} ms;"
        f" {count:,} keywords in the generated directory)"
    )
    print(f"{'':22} {'p50':>10} {'p99':>10} {'mean':>10} {'build':>10}")
    base_p50 = base_p99 = 0.0
    for name, times in samples.items():
        p50, p99 = percentile(times, 0.50), percentile(times, 0.99)
        mean = statistics.fmean(times) / 1000
        line = f"{name:22} {p50:>8.1f}us {p99:>8.1f}us {mean:>8.1f}us {build_ms[name]:>8.1f}ms"
        if not base_p50:
            base_p50, base_p99 = p50, p99
            line += "   baseline"
        else:
            line += f"   p50 x{p50 / base_p50:.2f}, p99 x{p99 / base_p99:.2f} of the baseline"
        print(line)
    print(
        f"first text with a slip in the process: {first_slip:.1f} ms (imports rapidfuzz), then {again:.3f} ms"
    )
    print(
        "goals: p50 under 100us; 10,000 keywords within x1.50 of the shipped directory;"
        " with places, p99 under 200us"
    )
    worst_request(rounds=max(5, rounds // 10))
    return 0


def _random_words(size: int, rng: random.Random) -> str:
    words: list[str] = []
    length = 0
    while length < size:
        word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(8, 14)))
        words.append(word)
        length += len(word) + 1
    return " ".join(words)[:size]


def worst_request(rounds: int) -> None:
    """Signed SMS webhooks: long bodies of random words beside a keyword, medians."""
    with contextlib.redirect_stderr(io.StringIO()):  # app.py's own app, built without a token
        from app import create_app
    from tests.twilio_fake import TOKEN, Twilio

    app = create_app({"TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": "", "HELPLINE_DIRECTORY": ""})
    twilio = Twilio(app.test_client())
    limit = int(app.config.get("MAX_CONTENT_LENGTH") or 256 * 1024)
    rng = random.Random(20261205)
    bodies = {
        "keyword (WALES)": "WALES",
        "1,600 characters": _random_words(1600, rng),
        f"{(limit - 2048) // 1024} KB": _random_words(limit - 2048, rng),  # the rest of the form fits
    }
    times: dict[str, list[float]] = {name: [] for name in bodies}
    with contextlib.redirect_stdout(io.StringIO()):  # the app's figures lines
        for _ in range(rounds):
            for name, body in bodies.items():
                started = time.perf_counter()
                reply = twilio.sms(body)
                times[name].append((time.perf_counter() - started) * 1000)
                if reply.status != 200:
                    raise SystemExit(f"{name}: answered {reply.status}")
    print(f"signed SMS webhook, median of {rounds} (each body within the app's limit of {limit // 1024} KB):")
    base = statistics.median(times["keyword (WALES)"])
    for name, taken in times.items():
        median = statistics.median(taken)
        ratio = "baseline" if median == base else f"x{median / base:.1f} of the baseline"
        print(f"    {name:22} {median:8.3f} ms   {ratio}")
    print("goals: any body within x100 of the keyword text; a 1,600-character text within x30")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
