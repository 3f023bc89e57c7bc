#!/usr/bin/env bash
# Set up (Python packages and Debian's Chromium) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
# The layering and the no-cycle rule (.importlinter); run from the repository root so the packages import.
.venv/bin/lint-imports
# Three workers on two cores: browser and server tests spend much of their time waiting. CCHC_TEST_WORKERS overrides.
# --durations: the slowest tests are named at the end, so the next one to share a fixture or split is known.
exec .venv/bin/python -m pytest -q -n "${CCHC_TEST_WORKERS:-3}" --durations=15 "$@"
