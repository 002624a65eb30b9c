"""Every command the simulator's own help shows works as shown."""

from __future__ import annotations

import re
import shlex

from simulator import cli


def test_each_example_in_the_help_runs_cleanly() -> None:
    help_text = cli.__doc__ or ""
    # the scripted ones: an interactive call waits for a person
    examples = re.findall(r"^    ((?:sms|whatsapp|call) \S[^\n]*?)\s{2,}\S", help_text, re.MULTILINE)
    assert any(e.startswith("call --press") for e in examples), help_text
    for example in examples:
        assert cli.main(shlex.split(example)) == 0, example
