#!/usr/bin/env bash
# Runs fuzz targets for MINUTES each, one after another, keeping the corpus of each target under
# fuzz/corpus/TARGET (seeded from fuzz/seeds/TARGET) and its log under fuzz/logs/TARGET.log.
# Crashing inputs go to fuzz/artifacts/TARGET/. Prints a summary line per target at the end and
# exits non-zero when any target failed.
#
# Usage: fuzz/campaign.sh MINUTES [TARGET...]   (every target when none is named)
set -uo pipefail

if [ $# -lt 1 ] || ! [[ "$1" =~ ^[0-9]+$ ]]; then
    echo "usage: $0 MINUTES [TARGET...]" >&2
    exit 2
fi
minutes="$1"
shift
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1

if [ $# -gt 0 ]; then
    targets="$*"
else
    targets=$(cargo fuzz list)
fi
# Build only the named targets, so a campaign can start while another one runs.
for target in $targets; do
    cargo fuzz build "$target" || exit 1
done

mkdir -p logs
summary=()
failed=0
for target in $targets; do
    corpus="corpus/$target"
    mkdir -p "$corpus"
    if [ -d "seeds/$target" ]; then
        cp -n seeds/"$target"/* "$corpus"/ 2>/dev/null
    fi
    log="logs/$target.log"
    echo "campaign: $target for $minutes minute(s), log $log"
    cargo fuzz run "$target" "$corpus" -- -max_total_time=$((minutes * 60)) \
        -print_final_stats=1 >"$log" 2>&1
    status=$?

    # The last status line carries the final coverage (cov) and features (ft).
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
    runs=$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{print $2}')
    cov=$(echo "$last" | grep -oE 'cov: [0-9]+' | awk '{print $2}')
    ft=$(echo "$last" | grep -oE 'ft: [0-9]+' | awk '{print $2}')
    corpus_size=$(find "$corpus" -type f | wc -l)
    if [ $status -eq 0 ]; then
        result="no crash"
    else
        result="FAILED (exit $status), see fuzz/artifacts/$target/"
        failed=1
    fi
    summary+=("$target: runs ${runs:-?}, cov ${cov:-?}, ft ${ft:-?}, corpus $corpus_size files, $result")
done

echo
echo "campaign of $minutes minute(s) per target:"
printf '  %s\n' "${summary[@]}"
exit $failed
