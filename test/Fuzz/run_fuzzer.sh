#!/usr/bin/env bash
# Runs the importer fuzzer for a bounded time: run_fuzzer.sh FUZZER CORPUS SECONDS SEED_DIR...
# New inputs go to CORPUS; seeds are read from the other folders. Exit status 0 when no crash,
# leak, timeout, out-of-memory or sanitizer report occurred (libFuzzer's own status otherwise;
# the reproducer is written to CORPUS/../crash-*).
set -euo pipefail
fuzzer=$1 corpus=$2 seconds=$3
shift 3
mkdir -p "$corpus"
artifacts="$(dirname "$corpus")/"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
# -timeout: one input taking 30 s is a hang; -rss_limit_mb: 4 GB is runaway allocation.
# A fixed seed keeps the test suite's run repeatable; longer runs (README) vary it.
"$fuzzer" -seed=1 -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
  -artifact_prefix="$artifacts" "$corpus" "$@" 2>&1 | tail -n 25
