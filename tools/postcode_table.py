"""Write data/postcodes/uk.toml from the uk_postcode country table (JSON), keeping its attribution.

    python -m tools.postcode_table uk-postcode-nations.json > data/postcodes/uk.toml

The source gives one regular expression per place over a postcode upper-cased with its spaces
removed. This copies them unchanged, names each place as the directory's services are named
(a service whose key is a place's key answers that place's postcodes), gives each a label for
the texts, and adds BFPO (postcode area BF), which the source does not cover.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Source key -> (place key, label used in texts). Order is the order replies name places in.
PLACES = {
    "england": ("england", "England"),
    "wales": ("wales", "Wales"),
    "scotland": ("scotland", "Scotland"),
    "northern_ireland": ("northern-ireland", "Northern Ireland"),
    "channel_islands": ("channel-islands", "the Channel Islands"),
    "isle_of_man": ("isle-of-man", "the Isle of Man"),
}
BFPO = ("bfpo", "BFPO addresses", "^BF")
# The postcode areas in use (Royal Mail), BF included. The source's patterns are as short as
# real postcodes allow ("Z" for ZE), so this list is what tells ZZ1 1AA is no postcode at all.
_AREAS = """
AB AL B BA BB BD BF BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY
E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL
LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN
SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE
"""
AREAS = _AREAS.split()

HEADER = """\
# Which UK nation, Crown Dependency or BFPO a postcode is in. Read once when the app starts.
#
# Contains public sector information licensed under the Open Government Licence v3.0.
# Source: ONS Postcode Directory ({ons}), via the country lookup table of the uk_postcode
# library, (c) Paul Battley, MIT licence: https://github.com/threedaymonk/uk_postcode
# {path} at commit {commit}.
#
# Each pattern is matched at the start of a postcode upper-cased with its spaces removed
# (CF101AA). It uses only letters, digits, [classes], (?:groups) and |. A full postcode matches
# one place; border districts (GL16, TD15, ...) are split postcode by postcode. Postcodes
# created after {ons} are not covered. The BFPO entry is not from the source: it adds
# postcode area BF, used by British Forces Post Office addresses.
#
# A directory service whose key is a place's key answers that place's postcodes; a place
# without one gets the "no local helpline" text with the national line.
# Regenerate with: python -m tools.postcode_table uk-postcode-nations.json
"""


def render(source: dict[str, object]) -> str:
    patterns = source["patterns"]
    if not isinstance(patterns, dict) or set(patterns) != set(PLACES):
        raise SystemExit(f"unexpected places in the source table: {patterns!r:.200}")
    origin = str(source["source"])
    # "threedaymonk/uk_postcode lib/uk_postcode/country_lookup.rb at commit 40cd... (ONS ..., August 2021)"
    path = origin.split()[1]
    commit = origin.split(" at commit ")[1].split()[0]
    ons = origin.rsplit(", ", 1)[1].rstrip(")")
    lines = [HEADER.format(ons=ons, path=path, commit=commit)]
    lines += ["[table]", f"source = {json.dumps(origin)}", f"licence = {json.dumps(source['licence'])}"]
    lines += ["# Postcode areas in use: text shaped like a postcode in any other area is not one."]
    lines += ["areas = [", *_wrap(AREAS), "]", ""]
    entries = [(*PLACES[key], patterns[key]) for key in PLACES]
    for key, label, pattern in [*entries, BFPO]:
        lines += [f"[places.{key}]", f"label = {json.dumps(label)}", f"pattern = {json.dumps(pattern)}", ""]
    return "\n".join(lines)


def _wrap(areas: list[str], per_line: int = 20) -> list[str]:
    return [
        "    " + ", ".join(json.dumps(a) for a in areas[i : i + per_line]) + ","
        for i in range(0, len(areas), per_line)
    ]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    sys.stdout.write(render(json.loads(Path(argv[1]).read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
