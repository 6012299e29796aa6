#!/usr/bin/env bash
# Refreshes requirements/lock.txt: the newest versions pyproject.toml allows, for the site's
# build and the tests, resolved in a fresh virtual environment. Commit the result.
# Usage: bash scripts/lock.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q --disable-pip-version-check -e ".[test]"  # editable: leaves no build/ in the tree
{
  echo "# Every package the site's build and the tests install, at the versions CI and scripts/"
  echo "# serve.sh and scripts/test.sh use (pip -c). Refresh: bash scripts/lock.sh"
  "$tmp/venv/bin/python" -m pip freeze --disable-pip-version-check --exclude tabiji | LC_ALL=C sort -f
} > requirements/lock.txt
echo "wrote requirements/lock.txt"
