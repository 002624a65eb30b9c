"""Forgive slips in keywords without taking ordinary words for keywords.

One slip turns a short word into another English word (WALES: WAKES, WAGES, WALKS; MALE: MAKE,
MILE; MENS: MEND), so a keyword of four to six letters forgives only slips that keep its
letters: two neighbours swapped (WAELS), a letter doubled (WALLES), an inner letter dropped
(WALS). A longer keyword forgives any slip while the word stays SIMILARITY alike (optimal
string alignment, via rapidfuzz): one slip in 7 to 13 letters (SCOTLND, NOTHERN), two from 14.
Keywords of three letters or fewer (NI, MEN) are never guessed at: they need an exact match.

SIMILARITY is chosen by measurement over real keyword typos and ordinary words that must not
route (`python -m bench.typos`); tests/test_typos.py holds both lists.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Iterable
from typing import Any

MIN_LETTERS = 4
SIMILARITY = 0.85
MAX_SLIPS = 2
# Up to this many keyword words of a token's length, a token is compared with each (letters
# first); beyond, candidates come from the deletion index.
DIRECT_CHECKS = 24

_DOUBLED = re.compile(r"(.)\1")
_NONE: frozenset[str] = frozenset()


def max_slips(length: int, similarity: float = SIMILARITY) -> int:
    """Slips a word of this length may have and stay `similarity` alike (7 letters: 1), at most
    MAX_SLIPS."""
    return min(MAX_SLIPS, math.floor(length * (1 - similarity) + 1e-9))


def collapse(word: str) -> str:
    """The word with doubled letters single (WALLES -> WALES)."""
    if not _DOUBLED.search(word):
        return word
    return "".join(letter for letter, _ in itertools.groupby(word))


def is_slip(token: str, keyword: str, similarity: float = SIMILARITY) -> bool:
    """True if `token` is `keyword` typed with a forgivable slip (not the keyword itself)."""
    if token == keyword or len(token) < MIN_LETTERS or len(keyword) < MIN_LETTERS:
        return False
    if max_slips(len(keyword), similarity) >= 1:
        allowed = max_slips(max(len(token), len(keyword)), similarity)
        return bool(_osa().distance(token, keyword, score_cutoff=allowed) <= allowed)
    return _keeps_letters(token, keyword)


def _keeps_letters(token: str, keyword: str) -> bool:
    """Two neighbours swapped (WAELS), letters doubled or undoubled (WALLES), or one inner
    letter dropped (WALS): the slips that rarely make another English word."""
    if collapse(token) == collapse(keyword):
        return True
    size = len(token)
    first = next((i for i, (a, b) in enumerate(zip(token, keyword, strict=False)) if a != b), size)
    if size == len(keyword):
        return (
            first < size - 1
            and token[first] == keyword[first + 1]
            and token[first + 1] == keyword[first]
            and token[first + 2 :] == keyword[first + 2 :]
        )
    return size == len(keyword) - 1 and 0 < first < size and token[first:] == keyword[first + 1 :]


@functools.cache
def _osa() -> Any:
    """rapidfuzz's optimal string alignment distance, imported on first use: most texts never
    need it, and every import is paid again on each cold start."""
    from rapidfuzz.distance import OSA

    return OSA


class TypoIndex:
    """Finds which keyword words a token may be a slip of, in time independent of how many.

    Every slip a short keyword forgives is listed when the index is built, so a token is
    looked up, not compared. For long keywords, candidates come from shared deletions (k slips
    leave two words at most k deletions apart on each side) and are checked by is_slip.
    """

    def __init__(self, words: Iterable[str], similarity: float = SIMILARITY) -> None:
        self.similarity = similarity
        self._words = frozenset(w for w in words if len(w) >= MIN_LETTERS and w.isalpha())
        self._slips: dict[str, set[str]] = {}  # a slip of a short keyword -> the keywords
        self._by_collapse: dict[str, set[str]] = {}  # doubled letters made single -> keywords
        self._by_deletion: dict[str, set[str]] = {}  # long keywords, under their deletions
        self._depth: dict[int, int] = {}  # token length -> deletions to try (none: no slip possible)
        # token length -> the keywords, their letters and slips allowed
        self._near: dict[int, list[tuple[str, dict[str, int], int]]] = {}
        for word in self._words:
            self._by_collapse.setdefault(collapse(word), set()).add(word)
            slips = max_slips(len(word), similarity)
            if slips == 0:
                for slip in _letter_keeping_slips(word):
                    self._slips.setdefault(slip, set()).add(word)
                continue
            for variant in _deletions(word, slips):
                self._by_deletion.setdefault(variant, set()).add(word)
            letters = _letters(word)
            for size in range(MIN_LETTERS, 2 * len(word) + 1):
                # is_slip allows the slips of the longer of the two; a slip needs no more deletions
                allowed = max_slips(max(size, len(word)), similarity)
                if allowed and abs(size - len(word)) <= allowed:
                    self._depth[size] = max(self._depth.get(size, 0), allowed)
                    self._near.setdefault(size, []).append((word, letters, allowed))

    def corrections(self, token: str) -> frozenset[str]:
        """Keyword words `token` is a slip of; none for a keyword word itself."""
        size = len(token)
        if size < MIN_LETTERS or token in self._words or not token.isalpha():
            return _NONE
        found = self._slips.get(token, set()) | self._by_collapse.get(collapse(token), set())
        most = self._depth.get(size, 0)
        near = self._near.get(size, ())
        if most and len(near) <= DIRECT_CHECKS:  # few keywords this long: compare their letters
            letters = _letters(token)
            candidates = [w for w, counts, allowed in near if _letters_within(letters, counts, allowed)]
        elif most:
            lookup = self._by_deletion.get
            candidates = [w for variant in _deletions(token, most) for w in lookup(variant, ())]
        if most:
            found.update(w for w in candidates if w not in found and is_slip(token, w, self.similarity))
        return frozenset(found) if found else _NONE


def _letters(word: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for letter in word:
        counts[letter] = counts.get(letter, 0) + 1
    return counts


def _letters_within(token: dict[str, int], keyword: dict[str, int], slips: int) -> bool:
    """A necessary condition for `slips` slips: each slip adds or removes at most one letter of
    each word (a swap neither), so neither word has more than `slips` letters the other lacks."""
    extra = sum(max(0, n - keyword.get(letter, 0)) for letter, n in token.items())
    if extra > slips:
        return False
    return sum(max(0, n - token.get(letter, 0)) for letter, n in keyword.items()) <= slips


def _letter_keeping_slips(word: str) -> set[str]:
    """Every neighbour swap and inner-letter drop of a short keyword (doubling: see collapse)."""
    swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    drops = {word[:i] + word[i + 1 :] for i in range(1, len(word) - 1)} if len(word) > MIN_LETTERS else set()
    return {s for s in swaps | drops if s != word}


def _deletions(word: str, most: int) -> list[str]:
    """The word and every form of it with up to `most` letters removed."""
    forms = [word, *(word[:i] + word[i + 1 :] for i in range(len(word)))]
    if most > 1:
        seen = set(forms)
        frontier = set(forms[1:])
        for _ in range(most - 1):
            frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))} - seen
            seen |= frontier
        forms = list(seen)
    return forms
