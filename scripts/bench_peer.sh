#!/usr/bin/env bash
# Our whole in-memory call beside aws-sdk-ec2's, and beside Alibaba's official Python SDK, in one
# run, with the ratios.
#
# 1. Builds our `hot_paths` (as scripts/callgrind.sh does, into target/callgrind) and
#    benches/peer-aws (a workspace of its own, so that nothing else ever builds aws-sdk-ec2: about
#    15 minutes of CPU and 8 GB the first time) into target/peer-aws, both under nice.
# 2. Alternates, round by round: our `ListCustomImages` call (100 image IDs, 10 names, 20 tags,
#    V3, to a canned in-memory response; `hot_paths call N`, its setup timed apart and taken
#    off), then aws-sdk-ec2's `DescribeImages` call (20 filters of 5 values, SigV4, through
#    aws-smithy's in-memory client). Prints the median of each and the ratio.
# 3. Runs scripts/python_sign_bench.sh (the official Python SDK building and signing the same
#    `ListCustomImages` request, beside our build-and-sign benchmark) and prints our whole call
#    against the Python SDK's build-and-sign.
#
# Usage: scripts/bench_peer.sh [--rounds N] [--calls N] [--no-python] [--no-build]
# (--no-build: run the binaries as last built, say while another build holds target/callgrind)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
rounds=9
calls=4000
python=1
build=1
while [ "$#" -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --calls) calls="$2"; shift 2 ;;
    --no-python) python=0; shift ;;
    --no-build) build=0; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

if [ "$build" = 1 ]; then
  echo "building hot_paths (release) into $root/target/callgrind ..." >&2
  CARGO_PROFILE_RELEASE_DEBUG=line-tables-only nice -n 10 \
    cargo build --quiet --release -p acs-benches --bin hot_paths \
    --manifest-path "$root/Cargo.toml" --target-dir "$root/target/callgrind"
  echo "building benches/peer-aws (release) into $root/target/peer-aws ..." >&2
  nice -n 10 cargo build --quiet --release --locked \
    --manifest-path "$root/benches/peer-aws/Cargo.toml" --target-dir "$root/target/peer-aws"
fi
ours="$root/target/callgrind/release/hot_paths"
theirs="$root/target/peer-aws/release/acs-peer-aws"

now() { date +%s%N; }
our_ns=()
aws_ns=()
for _ in $(seq "$rounds"); do
  # The setup (reading the specs for the sample response, the client) is timed with one call
  # and taken off the run of 1 + N calls.
  t0="$(now)"; "$ours" call 1 >/dev/null
  t1="$(now)"; "$ours" call "$((calls + 1))" >/dev/null
  t2="$(now)"
  our_ns+=("$(( ((t2 - t1) - (t1 - t0)) / calls ))")
  aws_ns+=("$("$theirs" "$calls")")
done

grep -q sha_ni /proc/cpuinfo && sha="with SHA extensions" || sha="without SHA extensions"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $sha"
python_json=""
if [ "$python" = 1 ]; then
  python_out="$("$root/scripts/python_sign_bench.sh")"
  grep -v '^{' <<<"$python_out"
  python_json="$(grep '^{' <<<"$python_out")"
fi
python3 - "$calls" "${our_ns[*]}" "${aws_ns[*]}" "$python_json" <<'PY'
import json, statistics, sys
calls = int(sys.argv[1])
ours = [float(x) for x in sys.argv[2].split()]
aws = [float(x) for x in sys.argv[3].split()]
mo, ma = statistics.median(ours), statistics.median(aws)
print()
print("whole in-memory call, %d rounds of %d calls, alternating; median µs (min..max)" % (len(ours), calls))
print("  acs-sdk ListCustomImages     %8.2f  (%.1f..%.1f)" % (mo / 1e3, min(ours) / 1e3, max(ours) / 1e3))
print("  aws-sdk-ec2 DescribeImages   %8.2f  (%.1f..%.1f)" % (ma / 1e3, min(aws) / 1e3, max(aws) / 1e3))
print("  ours / aws-sdk-ec2           %8.3fx (aws-sdk-ec2 takes %.1fx as long)" % (mo / ma, ma / mo))
if sys.argv[4]:
    python = json.loads(sys.argv[4])["python"]
    for name in ("v3", "v2"):
        py = python[name]["median_ns"]
        print("  Python SDK build and sign (%s) %8.1f µs: our whole call is %.0fx faster" % (name.upper(), py / 1e3, py / mo))
PY
