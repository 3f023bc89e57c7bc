"""Where the server's files are: the data file it serves, and the accounts file and cookie key kept beside it."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "sample_demo.duckdb"


def served_database() -> Path:
    """The data file a server started without --db serves: CCHC_DB (gunicorn workers) or the demo sample."""
    return Path(os.environ.get("CCHC_DB") or DEFAULT_DB)


def accounts_file(db_path) -> Path:
    """CCHC_ACCOUNTS, or beside the data file: cchc.duckdb → cchc.accounts.sqlite.

    Why a separate file: a load replaces the data file whole (etl.publish, os.replace) and the sample is
    rebuilt from scratch; accounts and the audit trail kept inside it would be lost at every load."""
    override = os.environ.get("CCHC_ACCOUNTS")
    if override:
        return Path(override)
    db_path = Path(db_path)
    return db_path.with_name(db_path.stem + ".accounts.sqlite")


def secret_file(accounts_path) -> Path:
    """The key that signs session cookies, beside the accounts file: cchc.accounts.sqlite → cchc.accounts.secret."""
    return Path(accounts_path).with_suffix(".secret")
