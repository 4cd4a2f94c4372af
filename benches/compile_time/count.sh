#!/usr/bin/env bash
# rustc's instructions (valgrind's callgrind) for the builds `measure.sh` times:
# the clean build of the schema crate and of the plain one, and their builds
# after touching one resource's file. Instruction counts barely move with the
# machine's load, where wall and CPU times on a shared machine move by a fifth.
#
#   benches/compile_time/count.sh                      # this checkout, N=100
#   REGISTER=1 benches/compile_time/count.sh           # the schema crate also registers
#   ASHORE_REPO=/tmp/old WORK=/tmp/count-old benches/compile_time/count.sh
#
# Sets up (or reuses) measure.sh's directory in WORK (default
# /tmp/ashore-count), with every crate compiled through `rustc-callgrind.sh`,
# which runs rustc under callgrind only for the crates named in CG_CRATES.
# Prints one line per build: crate, build, instructions. Needs valgrind.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
REPO=${ASHORE_REPO:-$(cd "$here/../.." && pwd)}
WORK=${WORK:-/tmp/ashore-count}
export RUSTC_WRAPPER="$here/rustc-callgrind.sh"
mkdir -p "$WORK"
ASHORE_REPO=$REPO KEEP=1 REPS=0 N=${N:-100} WORK=$WORK REGISTER=${REGISTER:-} \
    bash "$here/measure.sh" >/dev/null
cd "$WORK"
export CARGO_TARGET_DIR=$WORK/target CARGO_INCREMENTAL=1 CG_OUT=$WORK/callgrind
mkdir -p "$CG_OUT"
rm -f "$CG_OUT"/*.out
for crate in plain schema; do
    cargo clean -q -p "$crate"
    CG_CRATES=$crate CG_TAG=clean cargo build -q -p "$crate"
    touch "$crate/src/r$(printf '%03d' $((${N:-100} / 2))).rs"
    CG_CRATES=$crate CG_TAG=incremental cargo build -q -p "$crate"
done
for f in "$CG_OUT"/*.out; do
    n=$(grep -m1 -E '^(summary|totals):' "$f" | awk '{print $2}')
    name=$(basename "$f" .out)
    awk -v n="$n" -v c="${name%%.*}" -v b="${name#*.}" \
        'BEGIN { printf "%-7s %-12s %7.3f G\n", c, b, n / 1e9 }'
done
