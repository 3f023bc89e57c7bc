"""Byte offsets found in steps (etl/core/csv_lines.py) agree with Python's own search, across step boundaries."""
import re

import numpy as np

from etl.core import csv_lines


def test_offsets_of_matches_a_plain_search_across_steps(monkeypatch):
    monkeypatch.setattr(csv_lines, "_STEP", 7)   # many steps, and hits on both sides of each boundary
    rng = np.random.default_rng(7)
    data = bytes(rng.choice(np.frombuffer(b'ab,"\n\r', dtype=np.uint8), 1000))
    for byte in (10, 34):
        expected = [m.start() for m in re.finditer(re.escape(bytes([byte])), data)]
        assert csv_lines.offsets_of(data, byte).tolist() == expected
    assert csv_lines.offsets_of(b"", 10).tolist() == []
    assert csv_lines.offsets_of(b"\n" * 14, 10).tolist() == list(range(14))
