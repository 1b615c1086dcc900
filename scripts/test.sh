#!/usr/bin/env bash
# The whole test suite: installs what the tests need when it is missing, then runs every test.
# Usage: scripts/test.sh   (from the repository root)
#
# 1. cargo tests (unit, fixtures, link check, page weight);
# 2. the quality checks of docs/quality.md on the sample portal: headless Chromium at 360 and
#    1280 px, axe-core, print to A4 PDF, Nu HTML Checker; screenshots go to screenshots/;
# 3. the same checks (and `lumbung check --links`) on tests/fixtures/broken-quality, where each
#    one must fail, so none of them can pass by accident.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d ../shared/realdata ]; then
  echo "../shared/realdata is missing: the tests read the real BPS data beside the repository." >&2
  exit 1
fi

# --- what the tests need: Debian's Chromium, Java (for vnu), Node and the npm packages, and the
# reference Frictionless validator (PyPI). On a fresh machine this is mostly waiting on the
# network, so it runs while the tests compile; its output is shown when it is done.
apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "missing $*: install it (apt-get install $*) or run as root" >&2
    exit 1
  fi
  if [ -z "${APT_UPDATED:-}" ]; then
    apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}
tools_venv=target/tools/frictionless
set_up() {
  [ -x /usr/bin/chromium ] || apt_install chromium
  command -v java >/dev/null || apt_install default-jre-headless
  command -v node >/dev/null || apt_install nodejs npm
  # --ignore-scripts: vnu-jar's install script would download a Java runtime; we use the machine's.
  if [ ! -d tools/quality/node_modules ] || ! cmp -s tools/quality/package-lock.json tools/quality/node_modules/.package-lock.json.src 2>/dev/null; then
    npm ci --prefix tools/quality --ignore-scripts --no-audit --no-fund --loglevel=error
    cp tools/quality/package-lock.json tools/quality/node_modules/.package-lock.json.src
  fi
  if ! "$tools_venv/bin/python" -c 'import frictionless' 2>/dev/null; then
    python3 -m venv "$tools_venv"
    # --no-compile: Python compiles the modules the tests import when they first import them.
    "$tools_venv/bin/pip" install --quiet --no-compile --disable-pip-version-check frictionless==5.21.0
  fi
}
mkdir -p target
set_up_log=$(mktemp)
set_up >"$set_up_log" 2>&1 &
set_up_pid=$!
if ! cargo test --no-run; then
  kill "$set_up_pid" 2>/dev/null || true
  exit 1
fi
if ! wait "$set_up_pid"; then
  cat "$set_up_log" >&2
  echo "installing what the tests need failed (above)" >&2
  exit 1
fi
cat "$set_up_log"
rm -f "$set_up_log"
export LUMBUNG_FRICTIONLESS_PYTHON="$PWD/$tools_venv/bin/python"

cargo test

# --- quality checks on the sample portal, built with the binary the tests just built ---
cargo build --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/debug/lumbung build --quiet --output "$work/public"
node tools/quality/check.mjs --screenshots screenshots "$work/public"

# --- every check must fail on the deliberately broken fixture ---
node tools/quality/check.mjs --expect-fail --screenshots "$work/broken-screenshots" tests/fixtures/broken-quality
if target/debug/lumbung check --links tests/fixtures/broken-quality >"$work/links.txt" 2>&1; then
  cat "$work/links.txt"
  echo "link check: the broken fixture passed, it must fail" >&2
  exit 1
fi
for want in 'index.html:21:13' '"/berita/tidak-ada/"' '"#tidak-ada"'; do
  if ! grep -qF "$want" "$work/links.txt"; then
    cat "$work/links.txt"
    echo "link check: expected $want in the report" >&2
    exit 1
  fi
done
echo "link check on the broken fixture: failed as expected, naming the page and the links"
