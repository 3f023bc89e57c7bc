#!/usr/bin/env bash
# Set up, build the demo sample on first start (reused afterwards), and serve the dashboard on 127.0.0.1:8050.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Built on the first start, and again when the sample on disk was made by an older version.
# CCHC_SAMPLE=hcm2026 bash scripts/start.sh: the new Ho Chi Minh City of 2025–2026 instead of the 2022 city.
SAMPLE="${CCHC_SAMPLE:-hcm2022}"
if [ "$SAMPLE" = hcm2022 ]; then
    .venv/bin/python -m etl sample --scale demo --reuse
    exec .venv/bin/python app.py "$@"
fi
.venv/bin/python -m etl sample --sample "$SAMPLE" --reuse
exec .venv/bin/python app.py --db "data/sample_$SAMPLE.duckdb" "$@"
