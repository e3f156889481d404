#!/usr/bin/env bash
# Times one hot-path operation in two or more `hot_paths` binaries (say, built from the commit
# before a change and after it), alternating round by round so that each sees the same machine,
# and prints each binary's median per operation with the range.
#
# Each round runs `<binary> <operation> 1` and `<binary> <operation> <calls + 1>` and takes the
# first (the setup and one call) off the second, as scripts/bench_peer.sh does.
#
# Usage: scripts/bench_ab.sh <operation> <calls> <rounds> <binary>...
#   e.g. scripts/bench_ab.sh call 5000 9 /tmp/hot_paths.before target/callgrind/release/hot_paths
set -euo pipefail

[ "$#" -ge 4 ] || { sed -n 2,10p "$0" >&2; exit 2; }
operation="$1"; calls="$2"; rounds="$3"; shift 3

now() { date +%s%N; }
for _ in $(seq "$rounds"); do
  for binary in "$@"; do
    t0="$(now)"; "$binary" "$operation" 1 >/dev/null
    t1="$(now)"; "$binary" "$operation" "$((calls + 1))" >/dev/null
    t2="$(now)"
    echo "$binary $(( ((t2 - t1) - (t1 - t0)) / calls ))"
  done
done | python3 -c '
import collections, statistics, sys
times = collections.defaultdict(list)
for line in sys.stdin:
    binary, ns = line.rsplit(" ", 1)
    times[binary].append(int(ns))
for binary, ns in times.items():
    print("%-50s median %8.2f µs  (%.2f..%.2f)" % (binary, statistics.median(ns) / 1e3, min(ns) / 1e3, max(ns) / 1e3))
'
