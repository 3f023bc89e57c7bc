"""gunicorn settings for a team server, read by `CCHC_DB=data/cchc.duckdb .venv/bin/gunicorn app:server`."""
import multiprocessing
import os

bind = os.environ.get("CCHC_BIND", "0.0.0.0:8050")
# One process per core draws pages (Python holds one core per process); threads let the light callbacks
# (URL, navigation, paging) be answered while a page is being drawn instead of queueing behind it.
workers = int(os.environ.get("CCHC_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("CCHC_THREADS", "8"))
# A first visit to a big view on a full year can take seconds on a small server; never kill it half-way.
timeout = 120
