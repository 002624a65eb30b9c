"""The report as a spreadsheet's CSV and as one self-contained HTML page (charts inline, no network)."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from collections import Counter
from collections.abc import Mapping

from tools import report_charts as charts
from tools.report_counts import CHANNEL_NAMES, CHANNELS, OUTCOMES, Counts
from tools.report_lines import Reading

CSV_COLUMNS = ("date", "channel", "outcome", "service", "count")


def csv_text(counts: Counts) -> str:
    """One row per day, channel, outcome and service, in that order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for (day, channel, outcome, service), n in sorted(counts.rows.items()):
        writer.writerow((day.isoformat(), channel, outcome, service, n))
    return out.getvalue()


def per_helpline(counts: Counts) -> dict[str, Counter[str]]:
    """For each helpline: texts that got it, calls put through to it, failovers to it. A text
    that got two helplines counts for each."""
    table: dict[str, Counter[str]] = {}
    for (_, channel, outcome, service), n in counts.rows.items():
        if outcome not in ("helpline-given", "failover"):
            continue
        column = "failover" if outcome == "failover" else "calls" if channel == "voice" else "texts"
        for key in service.split("+"):
            table.setdefault(key, Counter())[column] += n
    return table


def page(
    counts: Counts,
    reading: Reading,
    names: Mapping[str, str],
    first: dt.date | None,
    last: dt.date | None,
    zone: str,
    source: str,
) -> str:
    """The whole report page."""
    days = counts.days
    first = first or (days[0] if days else None)
    last = last or (days[-1] if days else None)
    span = f"{_day(first)} to {_day(last)}" if first and last else "no dates"
    texts, calls = counts.texts(), sum(counts.calls.values())
    given = counts.total(("sms", "whatsapp"), "helpline-given")
    put_through = counts.total(("voice",), "helpline-given")
    tiles = [
        ("Texts received", texts),
        ("Texts given a helpline", given),
        ("Calls", calls),
        ("Calls put through", put_through),
        ("Failovers", counts.total(outcome="failover")),
        ("Menus sent or read", counts.total(outcome="menu")),
        ("Fallbacks", counts.total(outcome="fallback")),
        ("Opt-out words", counts.total(outcome="silent")),
    ]
    with charts.style():
        if counts.rows:
            every_day = (
                [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
                if first and last
                else []
            )
            drawn = [
                (
                    charts.TEXTS_TITLE,
                    *(charts.texts_per_day(every_day, counts, names, n) for n in (False, True)),
                ),
                (
                    charts.CALLS_TITLE,
                    *(charts.calls_per_day(every_day, counts, names, n) for n in (False, True)),
                ),
                (charts.OUTCOMES_TITLE, *(charts.outcomes(counts, n) for n in (False, True))),
            ]
        else:
            drawn = []
    directories = ", ".join(html.escape(d) for d in sorted(counts.directories)) or "none"
    body = [
        "<header>",
        "<h1>Helpline router: usage report</h1>",
        f"<p class=range>{span} <span class=muted>(days in {html.escape(zone)})</span></p>",
        f"<p class=muted>Directories: {directories}. Made {dt.date.today().isoformat()}"
        f" from {html.escape(source)}.</p>",
        "</header>",
    ]
    if not counts.rows:
        body.append("<p class=empty><strong>No texts or calls in this range.</strong></p>")
    body.append("<section class=tiles>")
    body += [f"<div><b>{n:,}</b><span>{html.escape(label)}</span></div>" for label, n in tiles]
    body.append("</section>")
    body += [
        f"<figure><figcaption>{title}</figcaption>"
        f"<div class=wide>{wide}</div><div class=narrow>{narrow}</div></figure>"
        for title, wide, narrow in drawn
    ]
    body += _helpline_table(counts, names)
    body += _outcome_table(counts)
    body += _about(counts, reading)
    return _TEMPLATE.format(title=f"Usage report {span}", body="\n".join(body))


def _helpline_table(counts: Counts, names: Mapping[str, str]) -> list[str]:
    table = per_helpline(counts)
    rows = sorted(table, key=lambda key: -sum(table[key].values()))
    out = ["<h2>By helpline</h2>", "<table><thead><tr><th>Helpline</th><th>Texts given it</th>"
           "<th>Calls put through</th><th>Failovers to it</th></tr></thead><tbody>"]  # fmt: skip
    for key in rows:
        label = charts.PLACE_NOT_COVERED if key == "none" else names.get(key, key)
        c = table[key]
        out.append(f"<tr><th>{html.escape(label)}</th><td>{c['texts']:,}</td><td>{c['calls']:,}</td>"
                   f"<td>{c['failover']:,}</td></tr>")  # fmt: skip
    if not rows:
        out.append("<tr><td colspan=4>No helpline was given in this range.</td></tr>")
    out.append("</tbody></table>")
    out.append("<p class=note>A text that named two places got both helplines and counts once for each.</p>")
    return out


def _outcome_table(counts: Counts) -> list[str]:
    channels = [c for c in CHANNELS if counts.total((c,))] or ["sms", "voice"]
    head = "".join(f"<th>{CHANNEL_NAMES[c]}</th>" for c in channels)
    out = ["<h2>Outcomes</h2>", f"<table><thead><tr><th>Outcome</th>{head}<th>Total</th></tr></thead><tbody>"]
    for outcome, label in OUTCOMES.items():
        cells = [counts.total((c,), outcome) for c in channels]
        if any(cells):
            row = "".join(f"<td>{n:,}</td>" for n in cells)
            out.append(f"<tr><th>{html.escape(label)}</th>{row}<td>{sum(cells):,}</td></tr>")
    out.append("</tbody></table>")
    return out


def _about(counts: Counts, reading: Reading) -> list[str]:
    left_out = [f"{n:,} {html.escape(reason)}" for reason, n in sorted(reading.skipped.items())]
    if counts.outside_range:
        left_out.append(f"{counts.outside_range:,} figures lines outside the range")
    for channel, n in sorted(counts.not_conversations.items()):
        what = "health check" if channel == "health" else "request to no webhook"
        left_out.append(f"{n:,} {what}{'' if n == 1 else 's'} (not conversations)")
    read = f"{len(reading.figures):,} figures lines read"
    skipped = f"; left out: {'; '.join(left_out)}" if left_out else "; none left out"
    return [
        "<h2>What these figures are</h2>",
        "<p>The router writes one anonymous line for each request Twilio sends it. A text is one request;"
        " a call is several (the greeting, each key pressed or phrase said, the end of each transfer), so"
        " call outcomes count steps, and calls are counted by their first step. Each line is counted once;"
        " the same person texting twice counts twice: these are texts and calls, not people.</p>",
        "<dl>",
        "<dt>Helpline given</dt><dd>A text got a helpline's number (or the national line, for a place with"
        " no local service); a call was put through, chosen or after silence or keys not understood.</dd>",
        "<dt>Menu</dt><dd>A text got the list of words to text; a call heard the menu.</dd>",
        "<dt>Failover</dt><dd>The helpline a caller was put through to was busy, did not answer or"
        " failed, and the call went on to the national line.</dd>",
        "<dt>Put through and answered</dt><dd>A helpline answered a call the router put through.</dd>",
        "<dt>Fallback</dt><dd>The router could not read its directory, hit an error or an unknown step,"
        " and gave the built-in national line.</dd>",
        "<dt>Silent</dt><dd>An opt-out word such as STOP: no reply, by design.</dd>",
        "<dt>Refused</dt><dd>A request without Twilio's signature; not from a person, not counted as a"
        " text or a call.</dd>",
        "</dl>",
        "<h2>What they do not contain</h2>",
        "<p>No caller data, ever: no phone number, no message text, no speech, no keys pressed, no"
        " WhatsApp name or location, no message or call id. Every value in a line is a channel, a step,"
        " an outcome or a helpline from the directory. Nothing here can tell who texted or called.</p>",
        f"<p class=note>{read}{skipped}.</p>",
    ]


def _day(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "?"


_TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
@page {{ size: A4; margin: 14mm; }}
body {{ font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111; margin: 0 auto;
       max-width: 56rem; padding: 1rem; }}
h1 {{ font-size: 1.6rem; margin: 0 0 .2rem; }}
h2 {{ font-size: 1.15rem; margin: 1.6rem 0 .5rem; border-bottom: 1px solid #ccc; }}
.range {{ font-size: 1.15rem; margin: 0; }}
.muted, .note {{ color: #555; font-size: .85rem; }}
.empty {{ padding: .8rem; background: #fff4d6; }}
.tiles {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .5rem;
          margin: 1rem 0; }}
.tiles div {{ border: 1px solid #ccc; border-radius: 4px; padding: .5rem .7rem; }}
.tiles b {{ display: block; font-size: 1.5rem; }}
.tiles span {{ font-size: .85rem; color: #333; }}
figure {{ margin: 1.2rem 0; }}
figcaption {{ font-weight: bold; margin-bottom: .3rem; }}
figure svg {{ width: 100%; height: auto; display: block; }}
.narrow {{ display: none; }}
@media screen and (max-width: 40rem) {{ .wide {{ display: none; }} .narrow {{ display: block; }} }}
table {{ border-collapse: collapse; width: 100%; font-size: .9rem; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .3rem .4rem; text-align: right; }}
th:first-child {{ text-align: left; font-weight: normal; }}
thead th {{ font-weight: bold; border-bottom: 2px solid #999; }}
dt {{ font-weight: bold; }} dd {{ margin: 0 0 .4rem 1rem; }}
@media print {{
  body {{ font-size: 10.5pt; max-width: none; padding: 0; }}
  figure, table, .tiles, dl {{ break-inside: avoid; }}
  h2 {{ break-after: avoid; }}
}}
@media (max-width: 30rem) {{
  body {{ font-size: 14px; padding: .6rem; }}
  th, td {{ padding: .25rem .2rem; }}
}}
</style>
</head>
<body>
{body}
</body>
</html>
"""
