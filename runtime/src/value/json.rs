//! The one meaning of equality between JSON documents (feature `json`), as
//! PostgreSQL's `jsonb` has it: objects hold the same keys (in any order) with
//! equal values, arrays equal elements in order, numbers the same decimal value
//! (`1`, `1.0`, `1e0` and `-0` are one number), strings, booleans and `null`
//! themselves. [`canonical`] writes a document so that equal documents, and only
//! they, have equal text: the memory evaluator compares and hashes by it, and
//! the SQLite layer registers it as `ashore_json_key` to compare its stored
//! text by it.

use std::cmp::Ordering;
use std::fmt::Write;

use serde_json::{Number, Value as Json};

/// The canonical text of `value`: object keys sorted (by their bytes), no
/// white space, each number as its decimal value normalized
/// (`<digits>e<exponent>`, no leading or trailing zeros; zero is `0`).
pub(crate) fn canonical(value: &Json) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

/// Compares two documents: `Equal` exactly when they are equal (see the
/// module); otherwise by their canonical text, a total order with no meaning
/// beyond telling them apart.
pub(crate) fn compare(a: &Json, b: &Json) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    canonical(a).cmp(&canonical(b))
}

/// How many arrays and objects a stored document may nest: what `serde_json`
/// reads back (its recursion limit, 128, counts the container it refuses).
pub(crate) const MAX_DEPTH: usize = 127;

/// What no layer can store alike in `value`, if anything: a string (a key
/// or a value) holding a NUL character, which PostgreSQL's `jsonb` cannot
/// store, or arrays and objects nested deeper than [`MAX_DEPTH`], which the
/// SQL layers could not read back. One walk with an explicit stack, so a
/// document of any depth costs no call stack.
pub(crate) fn refusal(value: &Json) -> Option<Refusal> {
    let mut stack = vec![(value, 0)];
    while let Some((value, depth)) = stack.pop() {
        match value {
            Json::String(s) if s.contains('\0') => return Some(Refusal::Nul),
            Json::Array(items) => {
                if depth == MAX_DEPTH {
                    return Some(Refusal::Deep);
                }
                stack.extend(items.iter().map(|item| (item, depth + 1)));
            }
            Json::Object(map) => {
                if depth == MAX_DEPTH {
                    return Some(Refusal::Deep);
                }
                for (key, item) in map {
                    if key.contains('\0') {
                        return Some(Refusal::Nul);
                    }
                    stack.push((item, depth + 1));
                }
            }
            Json::Null | Json::Bool(_) | Json::Number(_) | Json::String(_) => {}
        }
    }
    None
}

/// Why [`refusal`] refuses a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// A string holding a NUL character.
    Nul,
    /// Arrays and objects nested deeper than [`MAX_DEPTH`].
    Deep,
}

fn write_canonical(value: &Json, out: &mut String) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => number(n, out),
        Json::String(s) => string(s, out),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Json::Object(map) => {
            let mut entries: Vec<(&String, &Json)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(key, out);
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
    }
}

/// A string as JSON writes it (quoted, escaped).
fn string(s: &str, out: &mut String) {
    out.push_str(&Json::String(s.to_owned()).to_string());
}

/// A number's decimal value, normalized: the digits of its text (as
/// `serde_json` writes it, what every layer is given) without leading or
/// trailing zeros, and the power of ten they are multiplied by.
fn number(n: &Number, out: &mut String) {
    let text = n.to_string();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], text[at + 1..].parse::<i64>().unwrap_or(0)),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: String = whole.chars().chain(fraction.chars()).collect();
    let mut exponent = exponent - fraction.len() as i64;
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        out.push('0');
        return;
    }
    let trimmed = digits.trim_end_matches('0');
    exponent += (digits.len() - trimmed.len()) as i64;
    if negative {
        out.push('-');
    }
    out.push_str(trimmed);
    let _ = write!(out, "e{exponent}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equal_documents_have_one_text() {
        assert_eq!(
            canonical(&json!({"b": 1, "a": [true, null]})),
            r#"{"a":[true,null],"b":1e0}"#
        );
        assert_eq!(canonical(&json!(1)), canonical(&json!(1.0)));
        assert_eq!(canonical(&json!(0)), canonical(&json!(-0.0)));
        assert_eq!(canonical(&json!(1500)), canonical(&json!(1.5e3)));
        assert_eq!(canonical(&json!(0.25)), "25e-2");
        assert_ne!(canonical(&json!(1)), canonical(&json!("1")));
        assert_ne!(canonical(&json!([1, 2])), canonical(&json!([2, 1])));
        assert_eq!(
            compare(&json!({"a": 1}), &json!({"a": 1.0})),
            Ordering::Equal
        );
        assert_ne!(compare(&json!({"a": 1}), &json!({"a": 2})), Ordering::Equal);
    }

    #[test]
    fn a_nul_anywhere_is_found() {
        assert_eq!(refusal(&json!({"a": ["x\u{0}"]})), Some(Refusal::Nul));
        assert_eq!(refusal(&json!({"\u{0}": 1})), Some(Refusal::Nul));
        assert_eq!(refusal(&json!({"a": ["x"]})), None);
    }

    #[test]
    fn nesting_is_refused_where_serde_json_stops_reading() {
        let nested = |depth: usize| {
            let mut v = json!(1);
            for i in 0..depth {
                v = if i % 2 == 0 {
                    json!([v])
                } else {
                    json!({ "k": v })
                };
            }
            v
        };
        for depth in [MAX_DEPTH - 1, MAX_DEPTH] {
            assert_eq!(refusal(&nested(depth)), None);
            serde_json::from_str::<Json>(&nested(depth).to_string()).expect("read back");
        }
        for depth in [MAX_DEPTH + 1, 1_000] {
            assert_eq!(refusal(&nested(depth)), Some(Refusal::Deep));
        }
        serde_json::from_str::<Json>(&nested(MAX_DEPTH + 1).to_string())
            .expect_err("serde_json's own limit");
    }
}
