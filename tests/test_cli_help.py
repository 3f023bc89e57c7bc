"""Every command's --help speaks Vietnamese: argparse's own headings and its -h line are translated (common/cli.py)."""
import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.cli import build_parser as accounts_parser
from etl.__main__ import build_parser as etl_parser
from indicators.__main__ import _parser as indicators_parser

ROOT = Path(__file__).resolve().parent.parent
# What argparse writes in English when nobody translates it (Python 3.11–3.13).
ENGLISH = ("usage:", "options:", "optional arguments", "positional arguments", "show this help message", "and exit")


def _every_parser(parser: argparse.ArgumentParser):
    """The parser and each sub-command's parser, depth first."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):   # aliases map to the same parser once
                yield from _every_parser(sub)


PARSERS = [(p.prog, p) for build in (etl_parser, indicators_parser, accounts_parser) for p in _every_parser(build())]


def test_every_command_is_listed():
    progs = {prog for prog, _ in PARSERS}
    assert {"python -m etl import", "python -m etl refresh", "python -m indicators table",
            "python app.py accounts add"} <= progs
    assert len(progs) >= 15


@pytest.mark.parametrize("prog, parser", PARSERS, ids=[prog for prog, _ in PARSERS])
def test_help_has_no_english_heading(prog, parser):
    text = parser.format_help()
    assert text.startswith(f"Cách dùng: {prog}")
    assert "in hướng dẫn này rồi thoát" in text
    assert not [word for word in ENGLISH if word in text.lower()], text
    # every option and argument a user can give says what it is for (the -h line included)
    undocumented = [a.dest for a in parser._actions if a.help is None and not isinstance(a, argparse._SubParsersAction)]
    assert not undocumented, f"{prog}: {undocumented}"


def test_the_dashboard_command_too():
    proc = subprocess.run([sys.executable, "app.py", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Cách dùng: python app.py") and "--host" in proc.stdout
    assert not [word for word in ENGLISH if word in proc.stdout.lower()], proc.stdout
    wrong = subprocess.run([sys.executable, "app.py", "--port", "tám"], cwd=ROOT, capture_output=True, text=True,
                           timeout=120)
    assert wrong.returncode == 64 and "Lỗi: lệnh không hợp lệ: tham số --port không nhận giá trị 'tám'" in wrong.stderr
