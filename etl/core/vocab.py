"""The layout vocabularies shared by every kind of file, kept as data under etl/vocab/: personal-data headers,
value words, skip markers, and the user's mapping file."""
import csv
import functools
import unicodedata
from pathlib import Path

from common.text import norm_key

VOCAB_DIR = Path(__file__).resolve().parent.parent / "vocab"


def read_vocab(name: str) -> list[dict]:
    """The rows of etl/vocab/<name> as dicts (UTF-8, header row)."""
    with open(VOCAB_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.lru_cache(maxsize=None)
def personal_keys() -> frozenset[str]:
    """Keys of personal-data headers as written in etl/vocab/personal_columns.csv."""
    return frozenset(norm_key(row["alias"]) for row in read_vocab("personal_columns.csv"))


@functools.lru_cache(maxsize=None)
def _personal_words() -> tuple[str, ...]:
    return tuple(f" {norm_key(row['alias'])} " for row in read_vocab("personal_columns.csv")
                 if row.get("match") == "words" and norm_key(row["alias"]))


# Kept per key: recognizing a file asks it of every cell of its first rows for every kind (9.000 times for one
# CSV, each a scan of the word list: a third of the recognition's time).
@functools.lru_cache(maxsize=65536)
def is_personal_key(key: str) -> bool:
    """Whether a normalized header names personal data: one of etl/vocab/personal_columns.csv, or (rows marked
    'words') holding one of them among other words — 'Ho ten nguoi nop', 'SĐT liên hệ', 'Số CMND/CCCD',
    'Địa chỉ thường trú', 'Người đại diện theo pháp luật'. Such a column is dropped on read and said so."""
    padded = f" {key} "
    return key in personal_keys() or any(words in padded for words in _personal_words())


@functools.lru_cache(maxsize=None)
def value_words() -> tuple[tuple[str, str, str], ...]:
    """(field, normalized word, canonical value): channel, online_level, status, result_type, flag, rating."""
    return tuple((row["field"], norm_key(row["value"]), row["canonical"]) for row in read_vocab("values.csv"))


@functools.lru_cache(maxsize=None)
def value_phrases() -> tuple[tuple[str, str, str], ...]:
    """(field, phrase, canonical value) of etl/vocab/value_phrases.csv, the phrase in lower case with its accents
    (phrase_text_sql): a value no word of values.csv reads is read by the phrases it holds as whole words ('Nộp trực
    tuyến mức độ 3/4': online), when they agree. With the accents, 'dừng' is not 'dùng' nor 'đúng'."""
    return tuple((row["field"], " ".join(unicodedata.normalize("NFC", row["phrase"]).lower().split()), row["canonical"])
                 for row in read_vocab("value_phrases.csv"))


def phrase_text_sql(expr: str) -> str:
    """A value as value_phrases match it: NFC, lower case, every run of spaces and ASCII punctuation one space,
    padded with a space on each side (a phrase matches whole words)."""
    return f"(' ' || trim(regexp_replace(lower(nfc_normalize({expr})), '[\\s[:punct:]]+', ' ', 'g')) || ' ')"


@functools.lru_cache(maxsize=None)
def skip_markers() -> tuple[tuple[str, str], ...]:
    return tuple((row["kind"], norm_key(row["text"])) for row in read_vocab("skip_markers.csv"))


def is_signature_key(key: str) -> bool:
    """Whether a line whose first text has this key (norm_key) opens a signature block: a signature marker of
    etl/vocab/skip_markers.csv, alone or followed by more words ('Người lập biểu', 'GIÁM ĐỐC SỞ')."""
    return _opens_with_marker(key, "signature")


def is_totals_key(key: str) -> bool:
    """Whether a line whose first text has this key (norm_key) is a totals line ('Tổng cộng', 'Cộng: 12')."""
    return _opens_with_marker(key, "totals")


def _opens_with_marker(key: str, wanted: str) -> bool:
    return bool(key) and any(kind == wanted and (key == text or key.startswith(text + " "))
                             for kind, text in skip_markers())


def read_mapping_file(path) -> list[tuple[str, str]]:
    """A user's extra aliases: CSV with columns field,alias (one alias a row, or several separated by ';')."""
    pairs = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            field = (row.get("field") or "").strip()
            for alias in (row.get("alias") or "").split(";"):
                if field and alias.strip():
                    pairs.append((field, alias.strip()))
    return pairs
