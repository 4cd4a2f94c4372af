#!/usr/bin/env bash
# What rustc charges, in an incremental build, for the items `resource!` must
# emit, measured without ashore and without a macro: `measure.sh`'s 100 plain
# structs (same fields, same derives), plus per struct the items of one VARIANT,
# built, one file touched, built again under callgrind (`rustc-callgrind.sh`).
# Prints one line per variant: its name and rustc's instructions.
#
#   benches/compile_time/floor.sh                   # every variant
#   VARIANTS="none api" benches/compile_time/floor.sh
#   WORK=/tmp/floor benches/compile_time/floor.sh   # where the crate is made
#
# Variants (per struct):
#   none     nothing more: the plain crate of `measure.sh` (with the helper types below)
#   fns      16 trivial `#[inline]` associated fns returning a `Field`
#   fns_ni   the same 16 without `#[inline]` (compiled to machine code in the crate)
#   consts   the same 16 as associated consts
#   api      today's surface: 9 inherent accessors (`query`, `changeset`, 5 fields,
#            2 relationships) and a fields struct with 9 `&self` methods
#   zst      the 9 inherent accessors and a fields struct of zero-sized typed
#            markers, made by one `const`
# Needs bash, cargo, awk and valgrind.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/tmp/ashore-floor}
VARIANTS=${VARIANTS:-none fns fns_ni consts api zst}
N=100 GROUP=10
name() { printf 'R%03d' "$1"; }
prev() { local g=$(($1 / GROUP * GROUP)); name $((g + ($1 - g + GROUP - 1) % GROUP)); }
next() { local g=$(($1 / GROUP * GROUP)); name $((g + ($1 - g + 1) % GROUP)); }
sixteen="f0 f1 f2 f3 f4 f5 f6 f7 f8 f9 f10 f11 f12 f13 f14 f15"
inherent="query changeset a0 a1 a2 a3 a4 h0 h1"

# The items of variant $1 for struct $2 (previous $3, next $4).
items() {
    local v=$1 r=$2 p=$3 n=$4 f
    case $v in
    none) ;;
    fns | fns_ni | consts)
        echo "#[allow(non_upper_case_globals)]"
        echo "impl $r {"
        for f in $sixteen; do
            case $v in
            fns) echo "    #[inline] pub fn $f() -> Field<Self, i64> { Field::new(\"$f\", 3) }" ;;
            fns_ni) echo "    pub fn $f() -> Field<Self, i64> { Field::new(\"$f\", 3) }" ;;
            consts) echo "    pub const $f: Field<Self, i64> = Field::new(\"$f\", 3);" ;;
            esac
        done
        echo "}"
        ;;
    api | zst)
        echo "impl $r {"
        for f in $inherent; do
            echo "    #[inline] pub fn $f() -> Field<Self, i64> { Field::new(\"$f\", 3) }"
        done
        echo "}"
        if [[ $v == api ]]; then
            echo "pub struct ${r}Fields { path: Vec<&'static str> }"
            echo "impl ${r}Fields {"
            for f in at path a0 a1 a2 a3 a4 h0 h1; do
                echo "    #[inline] pub fn $f(&self) -> Field<Self, i64> { Field::new(\"$f\", self.path.len()) }"
            done
            echo "}"
        else
            echo "pub struct ${r}Fields { pub path: Vec<&'static str>, pub a0: Attr<i64>, pub a1: Attr<String>,"
            echo "    pub a2: Attr<i64>, pub a3: Attr<Option<String>>, pub a4: Attr<Option<i64>>,"
            echo "    pub h0: Hop<$p>, pub h1: Hop<$n> }"
            echo "impl Empty for ${r}Fields { const EMPTY: Self = ${r}Fields { path: Vec::new(), a0: Attr::NEW,"
            echo "    a1: Attr::NEW, a2: Attr::NEW, a3: Attr::NEW, a4: Attr::NEW, h0: Hop::NEW, h1: Hop::NEW }; }"
        fi
        ;;
    *) echo "unknown variant $v" >&2; exit 1 ;;
    esac
}

mkdir -p "$WORK"
cd "$WORK"
printf '[workspace]\nmembers = ["floor"]\nresolver = "3"\n' >Cargo.toml
export CARGO_TARGET_DIR=$WORK/target CARGO_INCREMENTAL=1
for v in $VARIANTS; do
    rm -rf floor && mkdir -p floor/src
    printf '[package]\nname = "floor"\nversion = "0.0.0"\nedition = "2024"\n' >floor/Cargo.toml
    cat >floor/src/lib.rs <<'RS'
//! 100 plain structs and, per struct, the items of one variant.
#![allow(dead_code)]
use core::marker::PhantomData;
pub struct Field<R, T>(pub &'static str, pub usize, pub PhantomData<(R, T)>);
impl<R, T> Field<R, T> {
    #[inline]
    pub const fn new(n: &'static str, i: usize) -> Self { Field(n, i, PhantomData) }
}
pub struct Attr<T>(PhantomData<fn() -> T>);
impl<T> Clone for Attr<T> { fn clone(&self) -> Self { *self } }
impl<T> Copy for Attr<T> {}
impl<T> Attr<T> { pub const NEW: Self = Attr(PhantomData); }
pub struct Hop<T>(PhantomData<fn() -> T>);
impl<T> Hop<T> { pub const NEW: Self = Hop(PhantomData); }
pub trait Empty { const EMPTY: Self; }
RS
    for ((i = 0; i < N; i++)); do
        r=$(name $i) p=$(prev $i) n=$(next $i) m=$(printf 'r%03d' $i)
        printf 'mod %s;\npub use %s::*;\n' "$m" "$m" >>floor/src/lib.rs
        {
            cat <<RS
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
            items "$v" "$r" "$p" "$n"
        } >"floor/src/$m.rs"
    done
    cargo build -q -p floor 2>/dev/null
    touch floor/src/r050.rs
    mkdir -p "$WORK/callgrind"
    RUSTC_WRAPPER=$here/rustc-callgrind.sh CG_OUT=$WORK/callgrind CG_CRATES=floor CG_TAG=$v \
        cargo build -q -p floor 2>/dev/null
    total=$(grep -m1 -E '^(summary|totals):' "$WORK/callgrind/floor.$v.out" | awk '{print $2}')
    awk -v v="$v" -v n="$total" 'BEGIN { printf "%-7s incremental %7.3f G\n", v, n / 1e9 }'
done
