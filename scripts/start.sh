#!/usr/bin/env bash
# Set up, build the demo sample on first start (reused afterwards), and serve the dashboard on 127.0.0.1:8050.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [[ ! -f data/sample_demo.duckdb ]]; then
  echo "Lần chạy đầu: đang tạo dữ liệu mẫu TP.HCM 2022 (khoảng 1 phút)…"
  .venv/bin/python -m etl sample --scale demo
fi
exec .venv/bin/python app.py "$@"
