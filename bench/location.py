"""Time to answer a location pin, beside reading a text, and the one-off cost of the table.

    python -m bench.location

Each round times match_pin on every held-out pin and match_sms on the matching benchmark's
messages, alternating, so both see the same machine load; the figures are the 50th and 99th
percentiles per message, the pin's also as a ratio to the text's (the baseline of this run).
The table is read once per process, on the first pin: its load time is shown beside the
import of the app (what every cold start pays) measured in a fresh interpreter.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from bench.matching import MESSAGES
from helpline.directory import load_directory
from helpline.location import LocationTable, match_pin
from helpline.match import Matcher, match_sms
from helpline.postcode import PostcodeTable
from tests.location_pins import BROKEN, pins

ROUNDS = 200
_COLD = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def fresh(code: str) -> float:
    """Seconds printed by `code` in a new interpreter (best of 5)."""
    env = {**os.environ, "TWILIO_AUTH_TOKEN": "bench-token"}  # the app refuses webhooks without one
    runs = [
        float(subprocess.check_output([sys.executable, "-c", code], text=True, env=env)) for _ in range(5)
    ]
    return min(runs)


def main() -> int:
    directory = load_directory()
    matcher = Matcher.for_directory(directory, PostcodeTable.load())
    languages = Matcher.for_languages(directory)
    services = tuple(directory.services)
    table = LocationTable.load()
    coordinates = [(f"{p.latitude:.4f}", f"{p.longitude:.4f}") for p in pins()] + BROKEN
    pin_times: list[float] = []
    text_times: list[float] = []
    clock = time.perf_counter
    for _ in range(ROUNDS):
        for latitude, longitude in coordinates:
            start = clock()
            match_pin(latitude, longitude, services, table)
            pin_times.append(clock() - start)
        for message in MESSAGES:
            start = clock()
            match_sms(message, matcher, directory.menu_words, languages)
            text_times.append(clock() - start)
    load = fresh("import time; from helpline.location import LocationTable; t = time.perf_counter(); "
                 "LocationTable.load(); print(time.perf_counter() - t)")  # fmt: skip
    app = fresh(_COLD.format(module="app"))
    print(f"{len(coordinates)} pins and {len(MESSAGES)} texts, {ROUNDS} rounds")
    for name, share in (("p50", 0.5), ("p99", 0.99)):
        pin, text = percentile(pin_times, share), percentile(text_times, share)
        print(
            f"{name}: pin {pin * 1e6:7.1f} us   text {text * 1e6:7.1f} us (baseline)   ratio {pin / text:.2f}"
        )
    pin_mean, text_mean = statistics.fmean(pin_times), statistics.fmean(text_times)
    print(f"mean: pin {pin_mean * 1e6:7.1f} us   text {text_mean * 1e6:7.1f} us")
    print(f"table load, once on the first pin: {load * 1000:.1f} ms   import app (cold start): "
          f"{app * 1000:.1f} ms (baseline)   ratio {load / app:.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
