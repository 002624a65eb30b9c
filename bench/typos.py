"""Measure typo matching at each similarity threshold: slips routed, ordinary words routed.

    python -m bench.typos [--words FILE]

For each threshold, with the shipped directory: how many of the measurement slips route to
their service (recall), how many route to another service (wrong line), and how many ordinary
words and phrases route at all (false routes). FILE, one word a line (for example a spelling
dictionary), adds a false-route count over every word in it that is not a keyword. The
shipped threshold is the one with the best recall and no false route or wrong line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpline.directory import load_directory
from helpline.match import Matcher
from helpline.text import words
from helpline.typos import SIMILARITY
from tests.typo_words import ORDINARY_PHRASES, ORDINARY_WORDS, SLIPS, SLIPS_IN_MESSAGES

THRESHOLDS = (0.70, 0.75, 0.80, 0.825, 0.85, 0.875, 0.90, 0.95, 1.0)


def measure(similarity: float, extra_words: list[str]) -> tuple[dict[str, tuple[int, int]], list[str]]:
    directory = load_directory()
    matcher = Matcher.for_directory(directory, similarity=similarity)
    slips = SLIPS + SLIPS_IN_MESSAGES
    found = [(matcher.find(words(text)), service) for text, service in slips]
    ordinary = ORDINARY_WORDS + ORDINARY_PHRASES
    result = {
        "recall": (sum(services == (service,) for services, service in found), len(slips)),
        "wrong line": (sum(bool(set(services) - {service}) for services, service in found), len(slips)),
        "false routes": (sum(bool(matcher.find(words(text))) for text in ordinary), len(ordinary)),
    }
    routed = [word for word in extra_words if matcher.find((word,))]
    if extra_words:
        result["false routes (file)"] = (len(routed), len(extra_words))
    return result, routed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--words", type=Path, help="a word list, one word a line, none of which may route")
    args = parser.parse_args(argv)
    extra: list[str] = []
    if args.words:
        directory = load_directory()
        keyword_words = {w for s in directory.services.values() for p in s.keywords for w in (*p, "".join(p))}
        read = (words(line) for line in args.words.read_text(encoding="utf-8", errors="replace").splitlines())
        extra = sorted({t[0] for t in read if len(t) == 1} - keyword_words)
    for similarity in THRESHOLDS:
        figures, routed = measure(similarity, extra)
        cells = "  ".join(f"{name} {n}/{of} ({n / of:.1%})" for name, (n, of) in figures.items())
        mark = "  <- shipped" if similarity == SIMILARITY else ""
        print(f"similarity {similarity:<5}  {cells}{mark}")
        if mark and extra:
            print(f"    words of the file that route: {', '.join(routed[:20]) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
