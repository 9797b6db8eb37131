#!/usr/bin/env bash
# Set up (once) and open Sổ theo dõi on the default database in the user's data folder.
# Extra arguments go to the program: scripts/run.sh --db other.db, scripts/run.sh status …
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run
exec .venv/bin/python -m app "$@"
