#!/usr/bin/env python3
"""Writes the schema crate of a `count.sh` directory as plain Rust: what
`resource!` expands to, one file per resource, so a change to the generated
code can be counted without changing the macro (see `ablate.sh`).

    ablate.py EXPANDED OUT_DIR SCHEMA_SRC [EDIT.py]

EXPANDED is the schema crate's `-Zunpretty=expanded` output; OUT_DIR gets
`src/lib.rs` and `src/rNNN.rs`. The derives' expansions are put back as the
`#[derive(..)]` line of SCHEMA_SRC/rNNN.rs (their expansions need unstable
features). EDIT.py, if given, defines `edit(text, module) -> text`, applied to
each resource's file: the change to count.
"""

import importlib.util
import os
import re
import sys


def modules(expanded):
    """(name, body lines) of each `mod rNNN { .. }`, and the lines after the last."""
    lines = expanded.split("\n")
    out, i, tail = [], 0, []
    while i < len(lines):
        m = re.match(r"^mod (r\d+) \{$", lines[i])
        if not m:
            i += 1
            continue
        j = lines.index("}", i)
        out.append((m.group(1), lines[i + 1 : j]))
        i = j + 1
    last = max(k for k, l in enumerate(lines) if re.match(r"^pub use r\d+::\*;$", l))
    tail = lines[last + 1 :]
    return out, tail


def without_derives(body, derive):
    """The body without the derives' impls, the derive line before the struct."""
    out, i = [], 0
    while i < len(body):
        line = body[i]
        if line == "    #[automatically_derived]":
            if body[i + 1].rstrip().endswith("{ }"):
                i += 2
                continue
            i = body.index("    }", i) + 1
            continue
        if derive and re.match(r"^    pub struct \w+ \{$", line):
            out.append("    " + derive)
            derive = None
        out.append(line)
        i += 1
    return out


def main():
    expanded, out_dir, schema_src = sys.argv[1:4]
    edit = None
    if len(sys.argv) > 4:
        spec = importlib.util.spec_from_file_location("edit", sys.argv[4])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        edit = module.edit
    mods, tail = modules(open(expanded).read())
    os.makedirs(f"{out_dir}/src", exist_ok=True)
    lib = ["//! The schema crate, expanded.", "#![allow(dead_code, unused_imports)]"]
    for name, body in mods:
        source = open(f"{schema_src}/{name}.rs").read()
        derive = re.search(r"^\s*(#\[derive\([^)]*\)\])", source, re.M)
        text = "\n".join(without_derives(body, derive and derive.group(1))) + "\n"
        if edit:
            text = edit(text, name)
        path = f"{out_dir}/src/{name}.rs"
        # Written only when changed: an unchanged file keeps its time stamp.
        if not os.path.exists(path) or open(path).read() != text:
            open(path, "w").write(text)
        lib += [f"mod {name};", f"pub use {name}::*;"]
    lib_text = "\n".join(lib + tail) + "\n"
    path = f"{out_dir}/src/lib.rs"
    if not os.path.exists(path) or open(path).read() != lib_text:
        open(path, "w").write(lib_text)


if __name__ == "__main__":
    main()
