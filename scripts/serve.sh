#!/usr/bin/env bash
# Builds and serves the example site on http://127.0.0.1:8000/, installing what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
# Pinned versions from requirements/lock.txt (refresh: bash scripts/lock.sh); TABIJI_NEWEST=1
# installs the newest versions pyproject.toml allows instead (the scheduled "Newest
# dependencies" workflow).
if [ "${TABIJI_NEWEST:-}" = 1 ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade --upgrade-strategy eager -e ".[mkdocs]"
else
  .venv/bin/python -m pip install -q --disable-pip-version-check -c requirements/lock.txt -e ".[mkdocs]"
fi
export NO_MKDOCS_2_WARNING=1
exec .venv/bin/mkdocs serve "$@"
