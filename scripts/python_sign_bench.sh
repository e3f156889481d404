#!/usr/bin/env bash
# Times Alibaba's official Python SDK building and signing the ListCustomImages request against
# our own benchmark of the same request, in one run, and prints the ratio.
#
# Uses the conformance venv (.venv-conformance, made by tests/conformance/record.py) when it is
# there; otherwise makes one under target/python-sign-bench-venv with the official packages at the
# versions the wire facts were settled with. Needs python3 and access to PyPI for that.
#
# Usage: scripts/python_sign_bench.sh [--iterations N] [--repeats N]
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv-conformance"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import alibabacloud_swas_open20200601' 2>/dev/null; then
  venv="$root/target/python-sign-bench-venv"
  if [ ! -x "$venv/bin/python" ]; then
    echo "making a venv with the official SDK in $venv ..." >&2
    python3 -m venv "$venv"
  fi
  "$venv/bin/python" -m pip install --quiet \
    "alibabacloud-swas-open20200601==4.0.0" "alibabacloud-tea-openapi==0.4.6"
fi

cd "$root"
exec "$venv/bin/python" "$root/scripts/python_sign_bench.py" "$@"
