#!/usr/bin/env bash
# Builds every fuzz target and runs each for a short time from the committed seeds. Exits
# non-zero on the first crash, leak, timeout or out-of-memory report.
#
# Usage: fuzz/ci.sh [SECONDS_PER_TARGET]   (default 20)
#
# cargo-fuzz needs nightly compiler flags; RUSTC_BOOTSTRAP=1 lets the stable toolchain accept
# them. It installs cargo-fuzz from crates.io when it is missing.
set -euo pipefail

seconds="${1:-20}"
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz/ci.sh: installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

cargo fuzz build

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

targets=$(cargo fuzz list)
for target in $targets; do
    # A scratch corpus per run, so CI neither reads nor leaves a corpus in the clone.
    corpus="$scratch/$target"
    mkdir -p "$corpus"
    if [ -d "seeds/$target" ]; then
        cp seeds/"$target"/* "$corpus"/
    fi
    echo "fuzz/ci.sh: running $target for ${seconds}s"
    if ! cargo fuzz run "$target" "$corpus" -- -max_total_time="$seconds" \
        >"$scratch/$target.log" 2>&1; then
        tail -n 60 "$scratch/$target.log"
        echo "fuzz/ci.sh: $target failed; the input is under fuzz/artifacts/$target/" >&2
        exit 1
    fi
    grep -E '^(Done|#[0-9]+ +DONE)' "$scratch/$target.log" | tail -n 2
done
echo "fuzz/ci.sh: every target ran ${seconds}s without a crash"
