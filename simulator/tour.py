"""Walk every path of the phone menu: each key, phrase, silence and Dial outcome at each step.

Where a call waits (a Gather or a Dial) is a *place*. Two places with the same TwiML still to
play (URLs resolved) behave the same, since the app keeps a call's state in its URLs; so the
walk visits each place once and stays small. It reports, for an operator to read before
going live, where each input leads, and flags what must never happen: a problem in the
TwiML, a call that ends without ever dialling a helpline, a number not in the directory, and
silence that never reaches a helpline. It also times each path to the first ringing line (see
the engine's two clocks), and the longest wait over every path that never hears a menu again.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from simulator import engine

KEYS = "1234567890*#"
UNKNOWN_PHRASE = "something else entirely"
# Places a caller may say instead of a key: one per UK nation, and one that two nations hold
# (put through to the 24/7 line rather than guessed). Elsewhere they show what an unknown place gets.
PLACE_PHRASES = ("I'm in Manchester", "Cardiff", "Glasgow", "County Tyrone", "Newport")
MAX_PLACES = 60
MAX_SILENCES = 12
MAX_EXPANSIONS = 100_000
"""Steps of the search for the longest wait before it settles for what it has found."""


@dataclass(frozen=True)
class Move:
    """One thing the caller (or the dialled line) does where the call waits."""

    kind: str  # press, say, silence, dial
    value: str = ""

    def apply(self, call: engine.Call) -> engine.Call:
        if self.kind == "press":
            return call.press(self.value)
        if self.kind == "say":
            return call.say(self.value)
        if self.kind == "silence":
            return call.silence()
        return call.dial_ends(self.value)

    @property
    def label(self) -> str:
        return {"press": self.value, "say": f'"{self.value}"', "silence": "silence"}.get(
            self.kind, self.value
        )


@dataclass
class Place:
    number: int
    call: engine.Call
    path: tuple[Move, ...]

    @property
    def how(self) -> str:
        return " > ".join(m.label for m in self.path) or "the start of the call"


@dataclass
class Edge:
    source: int
    moves: list[Move]
    outcome: str
    target: int | None
    seconds: list[tuple[float, float]] = field(default_factory=list)
    """For each move, the seconds it added (answering at once, hearing every prompt first)."""
    rings: bool = False
    """The moves start the first line ringing."""


@dataclass(frozen=True)
class Wait:
    """The seconds from the answer to the first ringing line along `path`."""

    seconds: float
    path: tuple[Move, ...]

    @property
    def how(self) -> str:
        return " > ".join(m.label for m in self.path)


@dataclass
class Tour:
    places: list[Place] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    dialled: set[str] = field(default_factory=set)
    unreached: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def future(call: engine.Call) -> str:
    """What is left to play where the call waits, URLs made absolute: equal means same behaviour."""
    if call.ended or call.current is None:
        return "ended"
    parts = []
    for verb in list(call.current)[call.position - 1 :]:
        verb = copy.deepcopy(verb)
        for element in verb.iter():
            if element.get("action"):
                element.set("action", urljoin(call.url, element.get("action", "")))
            if element.tag == "Redirect":
                element.text = urljoin(call.url, (element.text or "").strip())
        if verb.tag == "Gather" and not verb.get("action"):
            verb.set("action", call.url)
        parts.append(ET.tostring(verb, encoding="unicode"))
    return "".join(parts)


def moves_at(call: engine.Call, phrases: Sequence[str]) -> list[Move]:
    if call.waiting_for == "Dial":
        return [Move("dial", status) for status in engine.DIAL_OUTCOMES]
    gather = call.pending
    assert gather is not None
    inputs = (gather.get("input") or "dtmf").split()
    moves = [Move("press", key) for key in KEYS] if "dtmf" in inputs else []
    if "speech" in inputs:
        moves += [Move("say", phrase) for phrase in dict.fromkeys([*phrases, *PLACE_PHRASES])]
    return [*moves, Move("silence")]


def summary(events: Sequence[engine.Event]) -> str:
    """One line for what followed a move: what is dialled, else what is said, and how it ends."""
    said = [e.text for e in events if isinstance(e, engine.Said)]
    parts = []
    if said and not any(isinstance(e, engine.Dialling) for e in events):  # a Dial says enough
        first = said[0] if len(said[0]) <= 60 else said[0][:57] + "..."
        parts.append(f'says "{first}"' + (f" (+{len(said) - 1} more)" if len(said) > 1 else ""))
    for event in events:
        if isinstance(event, engine.Dialling):
            parts.append(f"dials {event.name or 'a number NOT in the directory'} ({event.number})")
        elif isinstance(event, engine.Note):
            parts.append(f"note: {event.text}")
        elif isinstance(event, engine.Problem):
            parts.append(f"PROBLEM: {event.text}")
        elif isinstance(event, engine.Ended):
            parts.append(f"ends ({event.reason})")
    return "; ".join(parts) or "nothing happens"


def walk(
    new_call: Callable[[], engine.Call],
    phrases: Sequence[str],
    listed: Mapping[str, str] | None = None,
    max_places: int = MAX_PLACES,
) -> Tour:
    """Visit every place a call can wait, trying every move at each.

    `listed` maps the directory's numbers to names (default: the names the calls know).
    """
    tour = Tour()
    first = new_call().start()
    seen: dict[str, int] = {}
    queue: list[Place] = []

    def arrive(call: engine.Call, path: tuple[Move, ...]) -> int | None:
        tour.dialled.update(call.dialled)
        if call.problem:
            tour.findings.append(f"after {' > '.join(m.label for m in path) or 'the start'}: {call.problem}")
        if call.ended:
            if not call.dialled and not call.problem:
                how = " > ".join(m.label for m in path) or "the start"
                tour.findings.append(f"after {how}: the call ends without dialling any helpline")
            return None
        key = future(call)
        if key not in seen:
            if len(seen) >= max_places:
                if len(seen) == max_places:
                    tour.findings.append(f"more than {max_places} places where the call waits: walk stopped")
                    seen[""] = -1
                return None
            seen[key] = len(tour.places) + 1
            place = Place(seen[key], call, path)
            tour.places.append(place)
            queue.append(place)
        return seen[key]

    arrive(first, ())
    while queue:
        place = queue.pop(0)
        grouped: dict[tuple[str, int | None], Edge] = {}
        for move in moves_at(place.call, phrases):
            call = place.call.fork()
            before = len(call.events)
            move.apply(call)
            target = arrive(call, (*place.path, move))
            key = (summary(call.events[before:]), target)
            edge = grouped.setdefault(key, Edge(place.number, [], key[0], target))
            edge.moves.append(move)
            edge.seconds.append(
                (call.seconds_at_once - place.call.seconds_at_once, call.seconds - place.call.seconds)
            )
            edge.rings = not place.call.dialled and bool(call.dialled)
        tour.edges += grouped.values()
    names = first.names if listed is None else listed
    for number in sorted(tour.dialled - set(names)):
        tour.findings.append(f"dials {number}, which is not a number in the directory")
    tour.unreached = sorted(name for number, name in names.items() if number not in tour.dialled)
    _check_silence(new_call, tour)
    return tour


def _check_silence(new_call: Callable[[], engine.Call], tour: Tour) -> None:
    call = new_call().start()
    for _ in range(MAX_SILENCES):
        if call.dialled or call.waiting_for != "Gather":
            break
        call.silence()
    if not call.dialled:
        tour.findings.append(
            f"a caller who stays silent is never put through (tried {MAX_SILENCES} silences)"
        )


def report(tour: Tour) -> list[str]:
    lines = []
    for place in tour.places:
        call = place.call
        if call.waiting_for == "Dial":
            ringing = [e for e in call.events if isinstance(e, engine.Dialling)][-1]
            where = f"ringing {ringing.name or 'a number NOT in the directory'} ({ringing.number})"
        else:
            where = f"listening at {urlsplit(call.url).path}"
        lines.append(f"[{place.number}] {where}, reached by: {place.how}")
        for edge in (e for e in tour.edges if e.source == place.number):
            moves = ", ".join(m.label for m in edge.moves)
            then = f" -> [{edge.target}]" if edge.target else ""
            lines.append(f"    {moves}: {edge.outcome}{then}")
    return [*lines, *time_to_help(tour)]


def step_of(place: Place) -> str:
    """Where the place's answer goes: two places sending it to the same step are one menu heard
    again (a repeat key), which a path to the longest wait must not loop through."""
    gather = place.call.pending
    if gather is None or gather.tag != "Gather":
        return f"place {place.number}"
    return urljoin(place.call.url, gather.get("action") or place.call.url)


def longest_wait(tour: Tour, at_once: bool) -> Wait | None:
    """The longest time to the first ringing line over paths that never return to a step
    (see step_of), answering each menu at once or after hearing it all (`at_once`); None if
    no line rings."""
    clock = 0 if at_once else 1
    places = {p.number: p for p in tour.places}
    edges: dict[int, list[Edge]] = {}
    for edge in tour.edges:
        if not places[edge.source].call.dialled:
            edges.setdefault(edge.source, []).append(edge)
    start = tour.places[0]
    best: Wait | None = None
    expansions = 0

    def visit(number: int, spent: float, path: tuple[Move, ...], seen: frozenset[str]) -> None:
        nonlocal best, expansions
        expansions += 1
        if expansions > MAX_EXPANSIONS:
            return
        for edge in edges.get(number, []):
            i = max(range(len(edge.moves)), key=lambda k: edge.seconds[k][clock])
            total, step = spent + edge.seconds[i][clock], (*path, edge.moves[i])
            if edge.rings:
                if best is None or total > best.seconds:
                    best = Wait(total, step)
            elif edge.target in edges and step_of(places[edge.target]) not in seen:
                visit(edge.target, total, step, seen | {step_of(places[edge.target])})

    begun = start.call.seconds_at_once if at_once else start.call.seconds
    visit(start.number, begun, (), frozenset({step_of(start)}))
    return best


def time_to_help(tour: Tour) -> list[str]:
    """The seconds before a line rings, from the start of the call, as the TwiML plays."""
    if not tour.places or tour.places[0].call.waiting_for != "Gather":
        return []
    start = tour.places[0]
    lines = [
        f"Time to help: seconds from the answer to the line ringing, reading at "
        f"{engine.WORDS_PER_SECOND} words a second plus each Gather's timeout.",
        f"  A key or a phrase counts after {start.call.first_answer_counts or 0.0:.1f} s of audio.",
        "  From the start, answering at once / after hearing every prompt:",
    ]
    places = {p.number: p for p in tour.places}
    for edge in (e for e in tour.edges if e.source == start.number and e.rings):
        ringing = places[edge.target].call.events if edge.target is not None else []
        name = next((e.name or e.number for e in ringing if isinstance(e, engine.Dialling)), "a line")
        by_time: dict[tuple[float, float], list[str]] = {}
        for move, (once, heard) in zip(edge.moves, edge.seconds, strict=True):
            by_time.setdefault((once, heard), []).append(move.label)
        for (once, heard), labels in by_time.items():
            total_once = start.call.seconds_at_once + once
            total_heard = start.call.seconds + heard
            lines.append(
                f"    {', '.join(labels)}: {name} rings after {total_once:.1f} s / {total_heard:.1f} s"
            )
    for at_once, how in ((True, "answering at once"), (False, "hearing every prompt first")):
        wait = longest_wait(tour, at_once)
        if wait is not None:
            lines.append(f"  Longest wait before a line rings, {how}: {wait.seconds:.1f} s ({wait.how})")
    return lines
