"""Every kind of file the loader takes has a Vietnamese name in the import history of the Dữ liệu page."""
from etl.kinds import KIND_NAMES as LOADED_KINDS
from indicators.data_status import KIND_NAMES, kind_name


def test_every_kind_of_file_is_named_in_vietnamese():
    # before: only five kinds were named; a 766 inputs file showed as «index766_inputs»
    assert set(LOADED_KINDS) <= set(KIND_NAMES), set(LOADED_KINDS) - set(KIND_NAMES)
    assert all(kind_name(k) != k for k in LOADED_KINDS)
