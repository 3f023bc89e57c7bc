"""The 766 index's words as data (model/index766_vocab.csv): the input fields a 766 inputs file carries and the
items (total, groups, criteria) a portal export publishes, each with the texts an export may name it by."""
from __future__ import annotations

import csv
from pathlib import Path

from common.text import norm_key

__all__ = ["INPUT_FIELDS", "INPUT_ALIASES", "PUBLISHED_ITEMS", "input_field_index", "published_item_index"]

_CSV = Path(__file__).with_name("index766_vocab.csv")


def _read() -> tuple[dict[str, str], dict[str, str], dict[str, dict[str, str]], dict[str, list[str]]]:
    """({input key: name}, {item key: name}, {kind: {normalized text: key}}, {input key: its other texts}); a text
    naming two keys of one kind is refused here, at import, rather than read as either."""
    names: dict[str, dict[str, str]] = {"input": {}, "item": {}}
    aliases: dict[str, list[str]] = {}
    index: dict[str, dict[str, str]] = {"input": {}, "item": {}}
    with _CSV.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            kind, key = row["kind"], row["key"]
            if kind not in names or not key or key in names[kind]:
                raise ValueError(f"{_CSV.name}, line {line}: kind '{kind}' or key '{key}' is wrong or repeated")
            names[kind][key] = row["name_vi"]
            if kind == "input":
                aliases[key] = [a for a in row["aliases"].split(";") if a.strip()]
            for text in [key, row["name_vi"], *row["aliases"].split(";")]:
                k = norm_key(text)
                if not k:
                    continue
                if index[kind].get(k, key) != key:
                    raise ValueError(f"{_CSV.name}, line {line}: '{text}' already names {index[kind][k]}")
                index[kind][k] = key
    return names["input"], names["item"], index, aliases


INPUT_FIELDS, PUBLISHED_ITEMS, _INDEX, INPUT_ALIASES = _read()


def input_field_index() -> dict[str, str]:
    """norm_key of every text naming an input field → the field key."""
    return dict(_INDEX["input"])


def published_item_index() -> dict[str, str]:
    """norm_key of every text naming a published item → 'total', 'group:N' or 'criterion:X.Y'."""
    return dict(_INDEX["item"])
