#!/usr/bin/env bash
# Set up (Python packages and Debian's Chromium) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
# The layering and the no-cycle rule (.importlinter); run from the repository root so the packages import.
.venv/bin/lint-imports
exec .venv/bin/python -m pytest -q "$@"
