#!/usr/bin/env bash
# Our whole in-memory call beside aws-sdk-ec2's, and beside Alibaba's official Python SDK, in one
# run, with the ratios.
#
# 1. Builds benches/peer-aws (a workspace of its own, so that nothing else ever builds
#    aws-sdk-ec2: about 15 minutes of CPU and 8 GB the first time) into target/peer-aws, under
#    nice, and runs it: our `ListCustomImages` call and aws-sdk-ec2's `DescribeImages` call (20
#    filters of 5 values, SigV4), both to an in-memory transport, timed in alternating batches in
#    one process.
# 2. Runs scripts/python_sign_bench.sh: the official Python SDK building and signing the same
#    `ListCustomImages` request, beside our build-and-sign benchmark.
# 3. Prints our whole call against the Python SDK's build-and-sign.
#
# Usage: scripts/bench_peer.sh [--rounds N] [--batch N] [--no-python]
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
peer_args=()
python=1
while [ "$#" -gt 0 ]; do
  case "$1" in
    --rounds|--batch) peer_args+=("$1" "$2"); shift 2 ;;
    --no-python) python=0; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

target="$root/target/peer-aws"
echo "building benches/peer-aws (release) into $target ..." >&2
nice -n 10 cargo build --quiet --release --locked \
  --manifest-path "$root/benches/peer-aws/Cargo.toml" --target-dir "$target"

grep -q sha_ni /proc/cpuinfo && sha="with SHA extensions" || sha="without SHA extensions"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $sha"
echo
peer_out="$("$target/release/acs-peer-aws" "${peer_args[@]}")"
grep -v '^{' <<<"$peer_out"
peer_json="$(grep '^{' <<<"$peer_out")"

if [ "$python" = 0 ]; then
  exit 0
fi
echo
python_out="$("$root/scripts/python_sign_bench.sh")"
grep -v '^{' <<<"$python_out"
python_json="$(grep '^{' <<<"$python_out")"
echo
python3 - "$peer_json" "$python_json" <<'PY'
import json, sys
peer, python = json.loads(sys.argv[1]), json.loads(sys.argv[2])
ours = peer["ours_ns"]
for name in ("v3", "v2"):
    py = python["python"][name]["median_ns"]
    print("whole in-memory call (V3) %.2f µs vs the Python SDK building and signing (%s) %.1f µs: %.0fx faster"
          % (ours / 1000, name.upper(), py / 1000, py / ours))
PY
