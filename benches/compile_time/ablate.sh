#!/usr/bin/env bash
# What a change to the generated code would save, counted without changing the
# macro: the schema crate of a directory `count.sh` set up, written out as the
# Rust `resource!` expands to (crate `expanded`, one file per resource, the
# derives left as derives: `ablate.py`), its incremental build counted as
# `incremental.sh` counts the schema crate's. With EDIT.py (a Python file
# defining `edit(text, module) -> text`), each resource's file is edited first.
# Each try takes a few seconds; the fifteenth session's map of what each piece
# of a resource costs (benches/HISTORY.md) was measured this way.
#
#   WORK=/tmp/ashore-count benches/compile_time/ablate.sh               # as expanded
#   WORK=/tmp/ashore-count TAG=nofields benches/compile_time/ablate.sh edit.py
#   EXPAND=1 ...                  # expand again (after the macro changed)
#
# The expansion needs `-Zunpretty=expanded` (RUSTC_BOOTSTRAP=1, in a target
# directory of its own); the count is of the stable compiler. The count of the
# expanded crate leaves out the macro's own work: compare it with another
# count of this script, not with `incremental.sh`. Needs valgrind and python3.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/tmp/ashore-count}
TAG=${TAG:-ablate}
if [[ ! -d "$WORK/schema/src" ]]; then
    echo "no schema crate in $WORK: run count.sh with WORK=$WORK first" >&2
    exit 1
fi
cd "$WORK"
if [[ -n "${EXPAND:-}" || ! -s expanded.rs ]]; then
    RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$WORK/target-expand \
        cargo rustc -q -p schema -- -Zunpretty=expanded >expanded.rs.new
    mv expanded.rs.new expanded.rs
fi
mkdir -p expanded
sed 's/^name = "schema"/name = "expanded"/' schema/Cargo.toml >expanded/Cargo.toml
grep -q '"expanded"' Cargo.toml || sed -i 's/^members = \[/members = ["expanded", /' Cargo.toml
python3 "$here/ablate.py" expanded.rs expanded schema/src ${1:+"$1"}
export CARGO_TARGET_DIR=$WORK/target CARGO_INCREMENTAL=1 CG_OUT=$WORK/callgrind
export RUSTC_WRAPPER="$here/rustc-callgrind.sh"
mkdir -p "$CG_OUT"
cargo build -q -p expanded
N=$(find expanded/src -name 'r[0-9]*.rs' | wc -l)
touch "expanded/src/r$(printf '%03d' $((N / 2))).rs"
rm -f "$CG_OUT/expanded.$TAG.out"
CG_CRATES=expanded CG_TAG=$TAG cargo build -q -p expanded
n=$(grep -m1 -E '^(summary|totals):' "$CG_OUT/expanded.$TAG.out" | awk '{print $2}')
awk -v n="$n" -v t="$TAG" 'BEGIN { printf "expanded %-12s %7.3f G\n", t, n / 1e9 }'
