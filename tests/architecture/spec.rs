//! The layers as `ARCHITECTURE.md` writes them: parsing its ```` ```layers ````
//! blocks (one per crate, one `layer name: module paths` line per layer,
//! bottom-up), and finding the layer a module is in.

use std::collections::BTreeSet;

use crate::findings::{Finding, Kind};

/// One layer: its name and the module paths it holds.
pub struct Layer {
    pub name: String,
    pub modules: Vec<Vec<String>>,
}

/// The layers of one crate, bottom-up: one ```layers block.
pub struct Block {
    pub dir: String,
    pub line: usize,
    pub layers: Vec<Layer>,
}

/// Every ```layers block of `text`, and a finding for each malformed line.
pub fn parse_blocks(text: &str) -> (Vec<Block>, Vec<Finding>) {
    let (mut blocks, mut errors) = (Vec::<Block>::new(), Vec::new());
    let (mut open, mut seen) = (false, BTreeSet::new());
    for (n, line) in (1..).zip(text.lines()) {
        let line = line.trim();
        let mut error = |why: String| {
            let text = format!("ARCHITECTURE.md:{n}: `{line}`: {why}");
            errors.push(Finding(Kind::Format, text));
        };
        if !open {
            if let Some(dir) = line.strip_prefix("```layers") {
                let dir = dir.trim().trim_end_matches('/').to_string();
                if dir.is_empty() {
                    error("name the crate's source folder: ```layers runtime/src".into());
                }
                blocks.push(Block {
                    dir,
                    line: n,
                    layers: Vec::new(),
                });
                (open, seen) = (true, BTreeSet::new());
            }
            continue;
        }
        if line.starts_with("```") {
            open = false;
        }
        if line.starts_with("```") || line.is_empty() || line.starts_with('#') {
            continue;
        }
        let expected = "expected `layer name: module, module::path, ...`";
        let Some((name, paths)) = line.split_once(':').filter(|(_, p)| !p.starts_with(':')) else {
            error(expected.into());
            continue;
        };
        let name = name.trim();
        if !name.starts_with(char::is_alphabetic)
            || !name.chars().all(|c| is_ident_char(c) || " -".contains(c))
        {
            error(format!(
                "`{name}` is not a layer name (letters, digits, spaces, `-`, `_`); {expected}"
            ));
        }
        let block = blocks.last_mut().unwrap();
        let mut layer = Layer {
            name: name.to_string(),
            modules: Vec::new(),
        };
        for path in paths.split(',').map(str::trim) {
            let module: Vec<String> = path.split("::").map(String::from).collect();
            let ident =
                |s: &String| !s.starts_with(char::is_numeric) && s.chars().all(is_ident_char);
            if !module.iter().all(ident) {
                error(format!(
                    "`{path}` is not a module path such as `data_layer::sql`; {expected}"
                ));
            } else if !seen.insert(module.clone()) {
                error(format!("`{path}` is listed twice"));
            } else {
                layer.modules.push(module);
            }
        }
        block.layers.push(layer);
    }
    if let Some(block) = blocks.last().filter(|_| open) {
        let text = format!("ARCHITECTURE.md:{}: the block is never closed", block.line);
        errors.push(Finding(Kind::Format, text));
    }
    (blocks, errors)
}

pub fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The layer of `module`: that of the longest listed path that prefixes it (its
/// index from the bottom, the path, the layer's name).
pub fn listed<'a>(
    layers: &'a [Layer],
    module: &[String],
) -> Option<(usize, &'a [String], &'a str)> {
    let mut best: Option<(usize, &[String], &str)> = None;
    for (i, layer) in layers.iter().enumerate() {
        for m in layer.modules.iter().filter(|m| module.starts_with(m)) {
            if best.is_none_or(|(_, b, _)| m.len() > b.len()) {
                best = Some((i, m, &layer.name));
            }
        }
    }
    best
}
