#!/usr/bin/env bash
# Compile time of a large ashore schema against the same plain structs.
#
# Generates, in a temporary directory (never in the repository), two crates of
# N resources each: `schema` declares them with `resource!` (four attributes: an
# integer primary key and three more; a belongs_to the previous resource and a
# has_many the next, in rings of GROUP), `plain` declares the same structs with
# the same fields and derives, without ashore. One file per resource.
# Dependencies are built first; then, REPS times and interleaved (plain, schema,
# plain, schema, ...), a clean build of each crate (`cargo clean -p`, then
# `cargo build`, debug) and an incremental one (touch one resource's file, build).
# Prints every time and the medians with the ratios schema / plain.
#
#   benches/compile_time/measure.sh               # N=100 GROUP=10 REPS=5
#   N=100 GROUP=100 REPS=3 benches/compile_time/measure.sh
#   ASHORE_REPO=/tmp/old-ashore benches/compile_time/measure.sh   # another checkout
#   KEEP=1 ...                                    # keep the temporary directory
#   KEEP=1 REPS=0 ...                             # only set it up, dependencies built
#   WORK=/tmp/ashore-compile.XXXX ...             # reuse a kept one (dependencies built)
#   BUILD_OPT=3 ...                               # optimize proc macros (build-override)
#   REGISTER=1 ...                                # the schema crate also registers every
#                                                 # resource in a domain (`pub fn domain()`, in
#                                                 # lib.rs), as an application does somewhere;
#                                                 # the plain crate has nothing to match it
#
# Needs only bash, cargo and awk.
set -euo pipefail

N=${N:-100}
GROUP=${GROUP:-10}
REPS=${REPS:-5}
REPO=${ASHORE_REPO:-$(cd "$(dirname "$0")/../.." && pwd)}
if [[ -n "${WORK:-}" ]]; then
    KEEP=1 # a directory of an earlier run (KEEP=1): its dependencies are built
    rm -rf "$WORK/schema" "$WORK/plain"
else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/ashore-compile.XXXXXX")
fi
if [[ -z "${KEEP:-}" ]]; then trap 'rm -rf "$WORK"' EXIT; fi
export CARGO_TARGET_DIR="$WORK/target" CARGO_TERM_COLOR=never CARGO_INCREMENTAL=1

name() { printf 'R%03d' "$1"; }
prev() { local g=$(($1 / GROUP * GROUP)); name $((g + ($1 - g + GROUP - 1) % GROUP)); }
next() { local g=$(($1 / GROUP * GROUP)); name $((g + ($1 - g + 1) % GROUP)); }

mkdir -p "$WORK/schema/src" "$WORK/plain/src"
cat >"$WORK/Cargo.toml" <<TOML
[workspace]
members = ["schema", "plain"]
resolver = "3"
[profile.dev.package.libsqlite3-sys]
opt-level = 3
TOML
if [[ -n "${BUILD_OPT:-}" ]]; then
    # What a user may set so that `resource!` itself runs optimized in debug builds.
    printf '[profile.dev.build-override]\nopt-level = %s\n' "$BUILD_OPT" >>"$WORK/Cargo.toml"
fi
cat >"$WORK/schema/Cargo.toml" <<TOML
[package]
name = "schema"
version = "0.0.0"
edition = "2024"
[dependencies]
ashore = { path = "$REPO" }
TOML
cat >"$WORK/plain/Cargo.toml" <<TOML
[package]
name = "plain"
version = "0.0.0"
edition = "2024"
TOML
printf '//! %s resources.\n#![allow(dead_code)]\n' "$N" | tee "$WORK/schema/src/lib.rs" >"$WORK/plain/src/lib.rs"
for ((i = 0; i < N; i++)); do
    r=$(name $i) p=$(prev $i) n=$(next $i) m=$(printf 'r%03d' $i)
    printf 'mod %s;\npub use %s::*;\n' "$m" "$m" | tee -a "$WORK/schema/src/lib.rs" >>"$WORK/plain/src/lib.rs"
    cat >"$WORK/schema/src/$m.rs" <<RS
use ashore::prelude::*;
use crate::*;

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct $r {
        attributes {
            integer_primary_key id;
            attribute name: String;
            attribute priority: i64;
            attribute note: Option<String>;
        }
        relationships {
            belongs_to prev: $p;
            has_many next: $n {
                destination_attribute prev_id;
            }
        }
    }
}
RS
    cat >"$WORK/plain/src/$m.rs" <<RS
use crate::*;

#[derive(Debug, Clone, PartialEq)]
pub struct $r {
    pub id: i64,
    pub name: String,
    pub priority: i64,
    pub note: Option<String>,
    pub prev_id: Option<i64>,
    pub prev: Option<Box<$p>>,
    pub next: Vec<$n>,
}
RS
done
if [[ -n "${REGISTER:-}" ]]; then
    {
        printf '\n/// Every resource, registered in one domain on the in-memory layer.\n'
        printf 'pub fn domain() -> ashore::Result<ashore::prelude::Domain> {\n'
        printf '    ashore::prelude::Domain::builder()\n'
        for ((i = 0; i < N; i++)); do printf '        .resource::<%s>()\n' "$(name $i)"; done
        printf '        .build()\n}\n'
    } >>"$WORK/schema/src/lib.rs"
fi

cd "$WORK"
echo "ashore at $REPO; N=$N GROUP=$GROUP REPS=$REPS BUILD_OPT=${BUILD_OPT:-} REGISTER=${REGISTER:-}; work dir $WORK"
echo "building dependencies..."
cargo build -q -p schema -p plain

# times CMD...: runs CMD quietly; prints its wall time and its CPU time (user +
# system, of cargo and rustc), in seconds. CPU time moves less than wall time
# when other builds share the machine; both are reported.
times_of() {
    local TIMEFORMAT='%R %U %S' out
    out=$({ time "$@" >/dev/null 2>&1; } 2>&1) || { echo "failed: $*" >&2; "$@"; exit 1; }
    awk -v t="$out" 'BEGIN { split(t, v, " "); printf "%.2f %.2f\n", v[1], v[2] + v[3] }'
}
declare -A wall cpu
half=$((N / 2))
for ((rep = 1; rep <= REPS; rep++)); do
    for crate in plain schema; do
        cargo clean -q -p "$crate"
        read -r w c < <(times_of cargo build -q -p "$crate")
        [[ -n "$w" ]] || exit 1
        wall[$crate.clean]+="$w " cpu[$crate.clean]+="$c "
        touch "$crate/src/$(printf 'r%03d' $half).rs"
        read -r w c < <(times_of cargo build -q -p "$crate")
        [[ -n "$w" ]] || exit 1
        wall[$crate.incremental]+="$w " cpu[$crate.incremental]+="$c "
    done
    echo "round $rep of $REPS done"
done

[[ $REPS -ge 1 ]] || exit 0 # REPS=0: set up (KEEP=1) and build the dependencies only
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for kind in clean incremental; do
    for clock in wall cpu; do
        unset -n t
        declare -n t=$clock
        p=$(echo "${t[plain.$kind]}" | median)
        s=$(echo "${t[schema.$kind]}" | median)
        echo "$kind, $clock time (s): plain [${t[plain.$kind]% }] schema [${t[schema.$kind]% }]"
        awk -v k="$kind" -v c="$clock" -v p="$p" -v s="$s" \
            'BEGIN { printf "  %s %s medians: plain %.2f s, schema %.2f s, ratio %.1fx\n", k, c, p, s, s / p }'
    done
done
