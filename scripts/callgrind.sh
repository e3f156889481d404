#!/usr/bin/env bash
# Instructions per operation of the signing and decoding hot paths, counted by callgrind.
#
# Builds `hot_paths` (benches/src/bin/hot_paths.rs) optimised with line tables into
# target/callgrind, runs each operation under `valgrind --tool=callgrind` with collection switched
# on only inside the repeated loop, and prints instructions per operation. Unlike times, these
# counts repeat exactly on one machine, so a change to a hot path can be judged by them.
#
# Profiles go to target/callgrind/profiles/<operation>.out, with the inclusive cost per function
# (callgrind_annotate) beside each in <operation>.txt.
#
# Usage: scripts/callgrind.sh [operation...]   (default: every operation; `hot_paths list`)
#
# Valgrind's virtual CPU has no SHA extensions (and no AVX-512), so the crypto crates take their
# portable paths here: the hashing share of these counts is larger than on a CPU with sha_ni.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/target/callgrind"
profiles="$target/profiles"
mkdir -p "$profiles"

command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }

echo "building hot_paths (release, line tables) into $target ..." >&2
CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
  cargo build --quiet --release -p acs-benches --bin hot_paths --target-dir "$target"
bin="$target/release/hot_paths"

if [ "$#" -gt 0 ]; then
  operations=("$@")
else
  mapfile -t operations < <("$bin" list | cut -f1)
fi

iterations_for() {
  case "$1" in
    decode-*) echo 5 ;;
    call) echo 100 ;;
    generate-*) echo 2 ;;
    *) echo 200 ;;
  esac
}

printf '%-20s %12s %16s\n' operation iterations instructions/op
for operation in "${operations[@]}"; do
  iterations="$(iterations_for "$operation")"
  out="$profiles/$operation.out"
  valgrind --tool=callgrind --toggle-collect='*hot_paths::measured*' \
    --callgrind-out-file="$out" "$bin" "$operation" "$iterations" \
    >"$profiles/$operation.log" 2>&1 || {
      echo "$operation failed under callgrind; see $profiles/$operation.log" >&2
      exit 1
    }
  total="$(awk '/^(summary|totals):/ { print $2; exit }' "$out")"
  if [ -z "$total" ] || [ "$total" = 0 ]; then
    echo "$operation: callgrind counted nothing (was hot_paths::measured inlined?)" >&2
    exit 1
  fi
  printf '%-20s %12d %16d\n' "$operation" "$iterations" "$((total / iterations))"
  # head closes the pipe early; that is not a failure.
  (callgrind_annotate --inclusive=yes "$out" 2>/dev/null | head -n 80) >"$profiles/$operation.txt" || true
done
echo "profiles: $profiles (*.txt: inclusive instructions per function, for all iterations)" >&2
