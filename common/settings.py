"""The city's settings (config/city.toml, or the file CCHC_SETTINGS names): official periods by default, the
header texts of the Word report and of form 06a. Read when asked, so an edited file is used by the next command."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULT_FILE", "Settings", "SettingsError", "load_settings", "official_periods_default"]

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "config" / "city.toml"
_TRUE, _FALSE = {"1", "true", "yes", "co", "có"}, {"0", "false", "no", "khong", "không", ""}


class SettingsError(ValueError):
    """The settings file cannot be read (the message names the file and what is wrong, in Vietnamese)."""


@dataclass(frozen=True)
class Settings:
    official_default: bool
    document: dict
    form: dict


def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise SettingsError(f"Không có tệp cài đặt '{path}'.") from None
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"Tệp cài đặt '{path}' viết sai cú pháp TOML ({e}).") from None


def load_settings() -> Settings:
    """The defaults of config/city.toml, overlaid by the file CCHC_SETTINGS names, then CCHC_OFFICIAL_PERIODS."""
    data = _read(DEFAULT_FILE)
    other = os.environ.get("CCHC_SETTINGS")
    if other:
        for section, values in _read(Path(other)).items():
            data.setdefault(section, {}).update(values if isinstance(values, dict) else {})
    official = bool(data.get("periods", {}).get("official_default", False))
    env = os.environ.get("CCHC_OFFICIAL_PERIODS")
    if env is not None:
        text = env.strip().lower()
        if text not in _TRUE | _FALSE:
            raise SettingsError(f"CCHC_OFFICIAL_PERIODS='{env}' không hợp lệ: ghi 1 (kỳ báo cáo chính thức) hoặc 0 "
                                "(kỳ theo lịch).")
        official = text in _TRUE
    return Settings(official, dict(data.get("document", {})), dict(data.get("form", {})))


def official_periods_default() -> bool:
    """Whether periods are the Ministry's official windows unless told otherwise (the city's choice)."""
    return load_settings().official_default
