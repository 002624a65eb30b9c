"""Measure place-name routing at each set of thresholds: places routed, wrong lines, false routes.

    python -m bench.places [--words N]

For each candidate set of thresholds (helpline/places.py, Thresholds), with the shipped directory
and the full postcode table: of the texts naming a UK place (tests/place_texts.py), how many
reach their nation's line (recall) and how many reach only another nation's (wrong line); of the
texts that name no place, how many reach any region's line (false routes). With wordfreq
installed (requirements-dev.txt), the N most common English words (default 20,000) are also
texted alone and after "I'm in", as a wider false-route count; a word routed alone is only a
false route if it is no place name people use, so those are listed for reading, not counted as
faults. The shipped thresholds are marked.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import sys

from helpline.directory import Directory, load_directory
from helpline.match import Matcher, match_sms
from helpline.places import DEFAULT_LIMITS, PlaceTable, Thresholds
from helpline.postcode import PostcodeTable
from tests.place_texts import ORDINARY_TEXTS, SLIPPED, SPOKEN, place_texts
from tools.place_table import names_from_table, read_table

NATIONS = ("england", "wales", "scotland", "northern-ireland")
HELD_OUT = 100_000
CANDIDATES = [
    DEFAULT_LIMITS,
    *(dataclasses.replace(DEFAULT_LIMITS, ordinary=x) for x in (3.0, 4.0, 4.5)),
    *(dataclasses.replace(DEFAULT_LIMITS, common=x) for x in (4.4, 5.2)),
    *(dataclasses.replace(DEFAULT_LIMITS, first_name=x) for x in (0.02, 0.2)),
    *(dataclasses.replace(DEFAULT_LIMITS, well_known_slope=x) for x in (0.5, 1.5, 2.0)),
    *(dataclasses.replace(DEFAULT_LIMITS, well_known_ordinary=x) for x in (3.5, 4.5)),
    *(dataclasses.replace(DEFAULT_LIMITS, very_common=x) for x in (5.0, 6.5)),
    *(dataclasses.replace(DEFAULT_LIMITS, english=x) for x in (0.8, 1.6, 9.9)),
]


@dataclasses.dataclass
class Figures:
    recall: tuple[int, int]
    wrong_line: list[str]
    false_routes: list[str]
    spoken: tuple[int, int]
    slipped: tuple[int, int]
    common_words: list[str] = dataclasses.field(default_factory=list)
    rarer_words: list[str] = dataclasses.field(default_factory=list)


def routed(body: str, matcher: Matcher, directory: Directory) -> set[str]:
    match = match_sms(body, matcher, directory.menu_words)
    return {s for s in match.services if s in NATIONS}


def measure(limits: Thresholds, rows: list[dict[str, str]], common: list[str]) -> Figures:
    directory = load_directory()
    table = PlaceTable(names_from_table(rows, limits))
    matcher = Matcher.for_directory(directory, PostcodeTable.load(), places=table)
    texts = place_texts()
    reached = wrong = 0
    wrong_line = []
    for body, nation in texts:
        lines = routed(body, matcher, directory)
        reached += nation in lines
        if lines and nation not in lines:
            wrong += 1
            wrong_line.append(body)
    false_routes = [body for body in ORDINARY_TEXTS if routed(body, matcher, directory)]
    heard = sum(matcher.read(_speech(said), postcodes=False).services[:1] == (n,) for said, n in SPOKEN)
    in_words = [w for w in common if routed(f"I'm in {w}", matcher, directory)]
    slips = [(body, nation) for body, nation in SLIPPED if nation]
    forgiven = sum(routed(body, matcher, directory) == {nation} for body, nation in slips)
    # Held out: a table whose slips were checked against the 100,000 commonest words only, tried
    # on the next 100,000 (the shipped table is checked against all of wordfreq's list).
    held_out = PlaceTable(names_from_table(rows, limits, check_words=HELD_OUT))
    rarer = [w for w in rarer_words() if held_out.find((w.upper(),)) and not held_out.names.get((w.upper(),))]
    return Figures(
        (reached, len(texts)), wrong_line, false_routes, (heard, len(SPOKEN)), (forgiven, len(slips)),
        in_words, rarer,
    )  # fmt: skip


@functools.cache
def rarer_words() -> list[str]:
    try:
        import wordfreq
    except ImportError:
        return []
    ranked = wordfreq.top_n_list("en", 2 * HELD_OUT)[HELD_OUT:]
    return [str(w) for w in ranked if str(w).isalpha() and str(w).isascii()]


def _speech(said: str) -> tuple[str, ...]:
    from helpline.text import words

    return words(said)


def common_words(count: int) -> list[str]:
    try:
        import wordfreq
    except ImportError:
        return []
    return [str(w) for w in wordfreq.top_n_list("en", count) if str(w).isalpha()]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--words", type=int, default=20_000, help="common English words to try")
    parser.add_argument("--show", action="store_true", help="list the texts behind each figure")
    args = parser.parse_args(argv)
    rows = read_table()
    common = common_words(args.words)
    for limits in CANDIDATES:
        f = measure(limits, rows, common)
        n, of = f.recall
        heard, spoken = f.spoken
        mark = "  <- shipped" if limits == DEFAULT_LIMITS else ""
        print(
            f"ordinary {limits.ordinary:<4} common {limits.common:<4} very common {limits.very_common:<5}"
            f" english {limits.english:<4} first name {limits.first_name:<4}"
            f" slope {limits.well_known_slope:<3} well known {limits.well_known_ordinary:<3}"
            f"  places {n}/{of} ({n / of:.1%})"
            f"  wrong line {len(f.wrong_line)}  false routes {len(f.false_routes)}/{len(ORDINARY_TEXTS)}"
            f"  spoken {heard}/{spoken}  slips {f.slipped[0]}/{f.slipped[1]}"
            f"  held-out words routed as slips {len(f.rarer_words)}/{len(rarer_words())}"
            + (f"  'I'm in <word>' routed {len(f.common_words)}/{len(common)}" if common else "")
            + mark
        )
        if mark or args.show:
            print(f"    false routes: {f.false_routes}")
            print(f"    wrong line: {f.wrong_line}")
            print(f"    rarer words (100,000th to 200,000th) routed as slips: {f.rarer_words[:40]}")
            if common:
                print(f"    'I'm in <word>' routed (read: a place, or a false route?): {f.common_words[:80]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
