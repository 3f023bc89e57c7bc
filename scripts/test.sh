#!/usr/bin/env bash
# Set up (Python packages and Debian's Chromium) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
.venv/bin/python scripts/check_layers.py
exec .venv/bin/python -m pytest -q "$@"
