"""gunicorn settings for a team server, read by `CCHC_DB=data/cchc.duckdb .venv/bin/gunicorn app:server`."""
import multiprocessing
import os

from accounts.bind import bind_refusal
from accounts.files import accounts_file, served_database
from accounts.store import AccountStore

# This machine only by default: serving the network (CCHC_BIND=0.0.0.0:8050, or -b) needs an admin account first.
bind = os.environ.get("CCHC_BIND", "127.0.0.1:8050")
# One process per core draws pages (Python holds one core per process); threads let the light callbacks
# (URL, navigation, paging) be answered while a page is being drawn instead of queueing behind it.
workers = int(os.environ.get("CCHC_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("CCHC_THREADS", "8"))
# DuckDB's threads per query in each worker: the worker's share of the cores (indicators/store.py says why).
os.environ.setdefault("CCHC_QUERY_THREADS", str(max(1, multiprocessing.cpu_count() // max(1, workers))))
# A first visit to a big view on a full year can take seconds on a small server; never kill it half-way.
timeout = 120


def on_starting(server):
    """Refuses to start (exit 1, the message on stderr) on any address beyond this machine while no admin
    account exists: the open trial mode would serve every unit's dossiers to the network. server.cfg.address
    holds the final binds (this file's, CCHC_BIND or -b); a unix socket counts as beyond (a proxy serves it)."""
    hosts = [a[0] if isinstance(a, tuple) else f"unix:{a}" for a in server.cfg.address]
    refusal = bind_refusal(hosts, AccountStore(accounts_file(served_database())))
    if refusal:
        raise RuntimeError(refusal)   # gunicorn prints "Error: …" and exits with status 1
