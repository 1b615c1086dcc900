#!/usr/bin/env bash
# The whole test suite: installs what the tests need when it is missing, then runs every test.
# Usage: scripts/test.sh   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d ../shared/realdata ]; then
  echo "../shared/realdata is missing: the tests read the real BPS data beside the repository." >&2
  exit 1
fi

cargo test --all-targets
