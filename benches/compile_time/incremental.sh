#!/usr/bin/env bash
# The schema crate's incremental build alone, counted as `count.sh` counts it
# (rustc's instructions under callgrind, after touching one resource's file),
# in a directory `count.sh` set up: a few minutes where `count.sh` takes a
# quarter of an hour, for trying one change after another.
#
#   WORK=/tmp/ashore-count benches/compile_time/incremental.sh
#   WORK=/tmp/count-b TAG=try1 benches/compile_time/incremental.sh
#
# The schema crate depends on the checkout `count.sh` was given (ASHORE_REPO,
# written into WORK/schema/Cargo.toml): edit that checkout, then run this; it
# rebuilds what changed, touches the middle resource's file and counts the
# build after it, writing WORK/callgrind/schema.<TAG>.out (TAG: incremental).
# Measure a checkout nobody edits meanwhile: a change landing between the two
# builds makes the count a partial rebuild. Needs valgrind.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/tmp/ashore-count}
TAG=${TAG:-incremental}
N=$(find "$WORK/schema/src" -name 'r[0-9]*.rs' | wc -l)
if [[ "$N" -eq 0 ]]; then
    echo "no schema crate in $WORK: run count.sh with WORK=$WORK first" >&2
    exit 1
fi
cd "$WORK"
export CARGO_TARGET_DIR=$WORK/target CARGO_INCREMENTAL=1 CG_OUT=$WORK/callgrind
export RUSTC_WRAPPER="$here/rustc-callgrind.sh"
mkdir -p "$CG_OUT"
cargo build -q -p schema
touch "schema/src/r$(printf '%03d' $((N / 2))).rs"
rm -f "$CG_OUT/schema.$TAG.out"
CG_CRATES=schema CG_TAG=$TAG cargo build -q -p schema
n=$(grep -m1 -E '^(summary|totals):' "$CG_OUT/schema.$TAG.out" | awk '{print $2}')
awk -v n="$n" -v t="$TAG" 'BEGIN { printf "schema  %-12s %7.3f G\n", t, n / 1e9 }'
