"""The one text key: common.text.norm_key (Python: headers, vocabularies) and its SQL twin norm_key_sql (the
loader's norm_key macro, the dashboard's unit lookup) give the same key for any Vietnamese text."""
import unicodedata

import duckdb
from hypothesis import given, settings, strategies as st

from common.text import NORM_KEY_MACRO, norm_key, norm_key_sql

_LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵwfjz"
ALPHABET = _LOWER + _LOWER.upper() + "0123456789" + " \t\n\u00a0.,;:-–/()&%_'\"«»" + "\ufeff"

# Cases written out by hand, with the key a person expects.
KNOWN = [
    ("Ngày tiếp nhận", "ngay tiep nhan"),
    ("  NGÀY   HẸN TRẢ (dd/mm/yyyy) ", "ngay hen tra dd mm yyyy"),
    ("Đơn vị", "don vi"),
    ("Sở Lao động – Thương binh và Xã hội", "so lao dong thuong binh va xa hoi"),
    ("UBND Phường 6, Quận 3", "ubnd phuong 6 quan 3"),
    ("Sở KH&ĐT", "so kh dt"),
    ("", ""),
]


def _sql_keys(texts: list[str]) -> list[str]:
    con = duckdb.connect()
    try:
        direct = con.execute(f"SELECT {norm_key_sql('$t')}", {"t": texts[0]}).fetchall()[0][0]
        con.execute(NORM_KEY_MACRO)
        rows = con.execute("SELECT norm_key(t) FROM unnest(?::VARCHAR[]) WITH ORDINALITY AS x(t, i) ORDER BY i",
                           [texts]).fetchall()
    finally:
        con.close()
    assert direct == rows[0][0]   # the macro and the written-out expression are one definition
    return [r[0] for r in rows]


def test_hand_written_keys_in_python_and_sql():
    texts = [t for t, _ in KNOWN]
    assert [norm_key(t) for t in texts] == [k for _, k in KNOWN]
    assert _sql_keys(texts) == [k for _, k in KNOWN]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=30), min_size=1, max_size=20),
       st.sampled_from(["NFC", "NFD"]))
def test_python_and_sql_keys_agree(texts, form):
    # Exports arrive composed (NFC) or decomposed (NFD, e.g. typed on a Mac): both give the same key.
    texts = [unicodedata.normalize(form, t) for t in texts]
    assert _sql_keys(texts) == [norm_key(t) for t in texts]
