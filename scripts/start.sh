#!/usr/bin/env bash
# Set up, build the demo sample on first start (reused afterwards), and serve the dashboard on 127.0.0.1:8050.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Built on the first start, and again when the sample on disk was made by an older version.
.venv/bin/python -m etl sample --scale demo --reuse
exec .venv/bin/python app.py "$@"
