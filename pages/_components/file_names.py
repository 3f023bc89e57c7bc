"""The words a download's name carries for the codes a page groups by (a level, an indicator, a pack's grouping), in
Vietnamese without accents: «xep_hang_cap_xa_giai_quyet_dung_han_truoc_han», not «xep_hang_ward_on_time_rate»."""
import re

from common.formats import vn_slug
from indicators.definitions import INDICATOR_BY_ID
from indicators.units import level_name


def level_part(level: str) -> str:
    """'cap_xa' for ward, 'so_ban_nganh' for department, 'co_quan_nganh_doc' for vertical."""
    return vn_slug(level_name(level)).lower()


def indicator_part(ind_id: str) -> str:
    """'giai_quyet_dung_han_truoc_han' for on_time_rate: the indicator's name without «Tỷ lệ»."""
    ind = INDICATOR_BY_ID.get(ind_id)
    return vn_slug(re.sub(r"^Tỷ lệ\s+", "", ind.name_vi) if ind else ind_id).lower()


def grouping_part(by: str) -> str:
    """A report pack's grouping: 'tung_don_vi' for one report per unit, else the level's words."""
    return "tung_don_vi" if by == "unit" else level_part(by)
