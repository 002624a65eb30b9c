"""The report's charts, drawn with matplotlib as inline SVG (text as paths: no font or network needed)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Mapping
from contextlib import AbstractContextManager

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from tools.report_counts import CHANNEL_NAMES, CHANNELS, OUTCOMES, TEXT_CHANNELS, Counts

# Okabe and Ito's palette, told apart with colour-blindness; grey for what is not a helpline.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#882255", "#44AA99"]
GREY, LIGHT = "#999999", "#DDDDDD"
CHANNEL_COLOURS = {"sms": "#333333", "whatsapp": "#44AA99", "voice": "#A0A0A0"}
SEVERAL = "Several helplines"
PLACE_NOT_COVERED = "National line (place not covered)"
# Inches: the width of an A4 page's text, and of a phone's screen (its own drawing, so that
# the words stay readable rather than shrink).
WIDTH, NARROW, HEIGHT = 8.0, 4.0, 3.6
TEXTS_TITLE = "Texts per day, by what they got"
CALLS_TITLE = "Calls per day: started (line), and put through by helpline"
OUTCOMES_TITLE = "Outcomes (texts: one per message; calls: one per step of a call)"


def texts_per_day(days: list[dt.date], counts: Counts, names: Mapping[str, str], narrow: bool = False) -> str:
    """Texts received each day, stacked by what they got: each helpline, the menu, anything else."""
    stacks: dict[str, Counter[dt.date]] = {}
    for (day, channel, outcome, service), n in counts.rows.items():
        if channel not in TEXT_CHANNELS or outcome == "refused":
            continue
        if outcome == "helpline-given":
            label = helpline_label(service, names)
        else:
            label = "Menu" if outcome == "menu" else "Other answers"
        stacks.setdefault(label, Counter())[day] += n
    return _stacked(days, stacks, colours(counts, names), "texts", None, narrow)


def calls_per_day(days: list[dt.date], counts: Counts, names: Mapping[str, str], narrow: bool = False) -> str:
    """Calls started each day (a line), and the calls put through, stacked by helpline."""
    stacks: dict[str, Counter[dt.date]] = {}
    for (day, channel, outcome, service), n in counts.rows.items():
        if channel == "voice" and outcome == "helpline-given":
            stacks.setdefault(helpline_label(service, names), Counter())[day] += n
    return _stacked(days, stacks, colours(counts, names), "calls", counts.calls, narrow)


def outcomes(counts: Counts, narrow: bool = False) -> str:
    """Each outcome's count, one bar a channel."""
    shown = [o for o in OUTCOMES if counts.total(outcome=o)]
    channels = [c for c in CHANNELS if counts.total((c,))]
    figure = _figure(max(2.0, 0.45 * len(shown) * max(1, len(channels)) ** 0.5 + 0.9), narrow)
    axes = figure.add_subplot()
    height = 0.8 / max(1, len(channels))
    for i, channel in enumerate(channels):
        values = [counts.total((channel,), o) for o in shown]
        positions = [y + (i - (len(channels) - 1) / 2) * height for y in range(len(shown))]
        bars = axes.barh(
            positions, values, height, label=_plain(CHANNEL_NAMES[channel]), color=CHANNEL_COLOURS[channel]
        )
        axes.bar_label(bars, [f"{v:,}" if v else "" for v in values], padding=2, fontsize=8)
    axes.set_yticks(range(len(shown)), [_plain(OUTCOMES[o]) for o in shown])
    axes.invert_yaxis()
    axes.margins(x=0.12)
    _tidy(axes)
    if channels:
        figure.legend(frameon=False, fontsize=8, loc="outside lower center", ncols=len(channels))
    return _svg(figure, "outcomes" + "-narrow" * narrow)


def colours(counts: Counts, names: Mapping[str, str]) -> dict[str, str]:
    """One colour for each helpline on every chart, the busiest first; greys for the rest."""
    given: Counter[str] = Counter()
    for (_, _, outcome, service), n in counts.rows.items():
        if outcome == "helpline-given" and "+" not in service and service != "none":
            given[helpline_label(service, names)] += n
    chosen = {label: PALETTE[i % len(PALETTE)] for i, (label, _) in enumerate(given.most_common())}
    return {**chosen, SEVERAL: "#F0E442", PLACE_NOT_COVERED: "#332288", "Menu": GREY, "Other answers": LIGHT}


def helpline_label(service: str, names: Mapping[str, str]) -> str:
    if "+" in service:
        return SEVERAL
    if service == "none":
        return PLACE_NOT_COVERED
    return names.get(service, service)


def _stacked(
    days: list[dt.date],
    stacks: dict[str, Counter[dt.date]],
    colour_of: Mapping[str, str],
    name: str,
    line: Counter[dt.date] | None,
    narrow: bool,
) -> str:
    figure = _figure(HEIGHT, narrow)
    axes = figure.add_subplot()
    order = sorted(
        stacks, key=lambda label: (label in ("Menu", "Other answers", SEVERAL), -sum(stacks[label].values()))
    )
    x = [float(day.toordinal()) for day in days]
    bottom = [0] * len(days)
    width = 0.8 if len(days) < 60 else 1.0
    for i, label in enumerate(order):
        colour = colour_of.get(label, PALETTE[i % len(PALETTE)])
        values = [stacks[label][day] for day in days]
        axes.bar(x, values, width, bottom=bottom, label=_plain(label), color=colour, linewidth=0)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    if line is not None:
        axes.plot(x, [line[day] for day in days], color="#000000", marker="." if len(days) < 60 else None,
                  linewidth=1.2, label="Calls started")  # fmt: skip
    ticks = _ticks(days)
    axes.set_xticks([float(day.toordinal()) for day in ticks], [_tick_label(day, len(days)) for day in ticks])
    if days:
        axes.set_xlim(x[0] - 0.6, x[-1] + 0.6)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    _tidy(axes)
    if order or line is not None:
        figure.legend(frameon=False, fontsize=8, loc="outside lower center", ncols=1 if narrow else 2)
    return _svg(figure, name + "-narrow" * narrow)


def _ticks(days: list[dt.date]) -> list[dt.date]:
    """Up to about eight days to mark: evenly spaced in a month or less, else each month's first."""
    if len(days) <= 31:
        return days[:: max(1, -(-len(days) // 8))]
    firsts = [day for day in days if day.day == 1]
    return firsts[:: max(1, -(-len(firsts) // 8))]


def _tick_label(day: dt.date, span: int) -> str:
    return f"{day.day} {day:%b}" if span <= 31 else f"{day:%b %Y}"


def _figure(height: float, narrow: bool) -> Figure:
    return Figure(figsize=(NARROW if narrow else WIDTH, height), layout="constrained")


def style() -> AbstractContextManager[None]:
    """The charts' settings, in force while they are drawn: text as paths, a size for print."""
    return mpl.rc_context({"svg.fonttype": "path", "font.size": 9, "axes.titlesize": 10})


def _tidy(axes: Axes) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _plain(label: str) -> str:
    """A label drawn as written: matplotlib reads "$...$" as maths."""
    return label.replace("$", r"\$")


def _svg(figure: Figure, name: str) -> str:
    """The figure as an <svg> element sized by the page, with ids of its own (several share a page)."""
    buffer = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": name}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    return re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 role="img"', svg, count=1)
