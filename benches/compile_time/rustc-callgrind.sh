#!/usr/bin/env bash
# A RUSTC_WRAPPER for `count.sh`: runs rustc under callgrind for the crates
# named in CG_CRATES (space separated), writing CG_OUT/<crate>.<CG_TAG>.out;
# every other crate (and every call without CG_OUT) is plain rustc, so the
# wrapper can stay set while dependencies build.
rustc=$1
shift
name="" prev=""
for arg in "$@"; do
    if [[ "$prev" == "--crate-name" ]]; then name=$arg; fi
    prev=$arg
done
if [[ -n "${CG_OUT:-}" && " ${CG_CRATES:-} " == *" $name "* ]]; then
    exec valgrind --tool=callgrind -q --callgrind-out-file="$CG_OUT/$name.${CG_TAG:-build}.out" \
        "$rustc" "$@"
fi
exec "$rustc" "$@"
