#!/usr/bin/env bash
# The loader fuzzed for a length of time (release build): `benches/fuzz.rs` counts inputs,
# panics and peak memory and stops on a hang or on memory over its limit; this script also
# catches an abort (the process killed by a signal) and names the input that caused it.
#
# Usage: scripts/fuzz.sh [DURATION] [SEED]   (DURATION like 30m, 90s; default 30m, seed 1)
set -uo pipefail
cd "$(dirname "$0")/.."
duration=${1:-30m}
seed=${2:-1}
cargo bench --quiet --bench fuzz --no-run || exit 1
cargo bench --quiet --bench fuzz -- "$duration" "$seed"
status=$?
if [ "$status" -gt 128 ]; then
    echo "ABORT: the fuzzer died of signal $((status - 128)); the input: target/fuzz/current.yaml" >&2
fi
exit "$status"
