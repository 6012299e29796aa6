#!/usr/bin/env bash
# Builds and serves the example site on http://127.0.0.1:8000/, installing what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
export NO_MKDOCS_2_WARNING=1
exec .venv/bin/mkdocs serve "$@"
