#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs, then runs pytest.
# Usage: bash scripts/test.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

# Browser tests need Debian's Chromium and a Japanese font (Playwright's own browser download
# does not work offline); the output checks need Java (the Nu HTML checker), xmllint and
# rsvg-convert. Installed with apt-get when missing and we are root (or have sudo).
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
command -v rsvg-convert >/dev/null 2>&1 || need+=(librsvg2-bin)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else sudo="none"; fi
  if [ "$sudo" != none ]; then
    $sudo mkdir -p /usr/share/man/man1  # slim Debian images lack it; the JRE's install needs it
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "note: cannot install ${need[*]} (not root); the tests that need them will be skipped" >&2
  fi
fi

# Mermaid's own renderer checks the diagrams 'tabiji export --format mermaid' writes; it runs on
# Debian's Chromium, so puppeteer's browser download is skipped. Without npm the test uses only
# our grammar check, and says so.
if command -v npm >/dev/null 2>&1 && [ ! -x tools/mermaid/node_modules/.bin/mmdc ]; then
  (cd tools/mermaid && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts >/dev/null 2>&1) \
    || echo "note: npm ci in tools/mermaid failed; the Mermaid check falls back to the grammar check" >&2
fi

python3 -m venv .venv
# Pinned versions from requirements/lock.txt (refresh: bash scripts/lock.sh); TABIJI_NEWEST=1
# installs the newest versions pyproject.toml allows instead (the scheduled "Newest
# dependencies" workflow).
if [ "${TABIJI_NEWEST:-}" = 1 ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade --upgrade-strategy eager -e ".[test]"
else
  .venv/bin/python -m pip install -q --disable-pip-version-check -c requirements/lock.txt -e ".[test]"
fi
export NO_MKDOCS_2_WARNING=1
exec .venv/bin/python -m pytest -n 2 -p no:cacheprovider "$@"
