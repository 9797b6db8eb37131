#!/usr/bin/env bash
# Set up (once) and run the whole test suite: lint, types (core and UI), dead code, tests (Qt
# offscreen).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy app ui
.venv/bin/vulture  # dead code: paths and whitelist in pyproject.toml [tool.vulture]
exec .venv/bin/python -m pytest -q "$@"
