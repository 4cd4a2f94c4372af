//! What the text functions of a filter compute, written once for every layer:
//! the in-memory evaluator calls these functions, the SQLite layer registers
//! them on each connection (its own `lower`, `upper` and `LIKE` only know
//! ASCII), and the PostgreSQL builder binds patterns as [`Pattern::escaped`]
//! writes them.
//!
//! - Case mapping is Unicode's *simple* case mapping: each character maps to
//!   exactly one character, so `lower` and `upper` keep a text's length.
//!   `lower('ÉCOLE')` is `"école"`, `upper("straße")` is `"STRAßE"` (`ß` has no
//!   one-character capital), `lower("ΣΑΣ")` is `"σασ"` (no final-sigma rule).
//!   It is [`char::to_lowercase`] / [`char::to_uppercase`] where those give
//!   one character; the few characters whose full mapping is several keep
//!   their simple mapping ([`lower_char`], [`upper_char`]). PostgreSQL's
//!   `lower`/`upper` in a database whose `LC_CTYPE` is a libc UTF-8 locale
//!   (`C.UTF-8`, `en_US.UTF-8`) do the same.
//! - `length` counts characters (Unicode scalar values), not bytes.
//! - `like(text, pattern)`: `%` matches any run of characters (none
//!   included), `_` exactly one character, a backslash makes the character
//!   after it literal (`\%`, `\_`, `\\`), and a backslash at the very end
//!   stands for itself; every other character matches itself, case
//!   sensitively. The whole text must match. `ilike` is `like` on both sides
//!   lowered with [`lower`].

use super::{Expr, TextOp};
use crate::value::Value;

/// The simple lowercase mapping of `c`: one character.
pub fn lower_char(c: char) -> char {
    let mut full = c.to_lowercase();
    match (full.next(), full.next()) {
        (Some(one), None) => one,
        // Only U+0130 (İ) lowers to several characters; its simple mapping is `i`.
        _ if c == '\u{130}' => 'i',
        _ => c,
    }
}

/// The simple uppercase mapping of `c`: one character.
pub fn upper_char(c: char) -> char {
    let mut full = c.to_uppercase();
    match (full.next(), full.next()) {
        (Some(one), None) => one,
        // Of the characters whose full mapping is several (ß, ŉ, ǰ, the
        // ligatures, Greek with breathing and accents, ...), only the Greek
        // letters with ypogegrammeni have a one-character simple mapping: the
        // capital with prosgegrammeni. The others map to themselves.
        _ => match c as u32 {
            0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7 => {
                char::from_u32(c as u32 + 8).unwrap_or(c)
            }
            0x1FB3 => '\u{1FBC}',
            0x1FC3 => '\u{1FCC}',
            0x1FF3 => '\u{1FFC}',
            _ => c,
        },
    }
}

/// `text` with every character lowered by simple case mapping.
pub fn lower(text: &str) -> String {
    text.chars().map(lower_char).collect()
}

/// `text` with every character raised by simple case mapping.
pub fn upper(text: &str) -> String {
    text.chars().map(upper_char).collect()
}

/// How many characters `text` has.
pub fn length(text: &str) -> i64 {
    i64::try_from(text.chars().count()).unwrap_or(i64::MAX)
}

/// One element of a `like` pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    /// A character that matches itself.
    Char(char),
    /// `_`.
    One,
    /// `%`.
    Any,
}

/// A `like` pattern, parsed once and matched against many texts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern(Vec<Token>);

impl Pattern {
    /// `pattern` as `like` reads it; lowered first (`ilike`) when `fold`.
    pub fn new(pattern: &str, fold: bool) -> Pattern {
        let mut tokens = Vec::with_capacity(pattern.len());
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            tokens.push(match c {
                '%' => Token::Any,
                '_' => Token::One,
                // A backslash at the end stands for itself.
                '\\' => Token::Char(chars.next().unwrap_or('\\')),
                c => Token::Char(c),
            });
        }
        if fold {
            for t in &mut tokens {
                if let Token::Char(c) = t {
                    *c = lower_char(*c);
                }
            }
        }
        tokens.dedup_by(|a, b| *a == Token::Any && *b == Token::Any);
        Pattern(tokens)
    }

    /// The same pattern written for a `LIKE` whose escape character is a
    /// backslash: every literal `%`, `_` and backslash escaped, nothing else.
    pub fn escaped(&self) -> String {
        let mut out = String::with_capacity(self.0.len());
        for t in &self.0 {
            match t {
                Token::Any => out.push('%'),
                Token::One => out.push('_'),
                Token::Char(c) => {
                    if matches!(c, '%' | '_' | '\\') {
                        out.push('\\');
                    }
                    out.push(*c);
                }
            }
        }
        out
    }

    /// Whether `text` matches the whole pattern (lowered first when `fold`,
    /// for a pattern made with `fold`).
    pub fn matches(&self, text: &str, fold: bool) -> bool {
        let char_at = |i: usize| {
            text[i..]
                .chars()
                .next()
                .map(|c| (if fold { lower_char(c) } else { c }, i + c.len_utf8()))
        };
        let tokens = &self.0;
        // Greedy with one backtrack point: the last `%` seen and where in the
        // text it resumes (enough for patterns of `%` and `_` alone).
        let (mut t, mut p) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while let Some((c, next)) = char_at(t) {
            match tokens.get(p) {
                Some(Token::Any) => {
                    star = Some((p, t));
                    p += 1;
                    continue;
                }
                Some(Token::One) => {
                    (t, p) = (next, p + 1);
                    continue;
                }
                Some(Token::Char(want)) if *want == c => {
                    (t, p) = (next, p + 1);
                    continue;
                }
                _ => {}
            }
            let Some((star_p, star_t)) = star else {
                return false;
            };
            // Let the last `%` take one more character.
            let Some((_, after)) = char_at(star_t) else {
                return false;
            };
            star = Some((star_p, after));
            (t, p) = (after, star_p + 1);
        }
        tokens[p..].iter().all(|t| *t == Token::Any)
    }
}

/// Whether `text` matches `pattern` (`like`).
pub fn like(text: &str, pattern: &str) -> bool {
    Pattern::new(pattern, false).matches(text, false)
}

/// Whether `text` matches `pattern` with both lowered (`ilike`).
pub fn ilike(text: &str, pattern: &str) -> bool {
    Pattern::new(pattern, true).matches(text, true)
}

/// The pattern of `like`/`ilike` (`op`), its right operand: `Ok(Some(text))`
/// for a text constant, `Ok(None)` for nil or a constant that is not text (the
/// test is then nil), and `Err` with the message of every layer's
/// `InvalidQuery` when it is not a constant.
pub(crate) fn constant_pattern(op: TextOp, pattern: &Expr) -> Result<Option<&str>, String> {
    match pattern {
        Expr::Value(Value::String(p)) => Ok(Some(p)),
        Expr::Value(_) => Ok(None),
        other => Err(format!(
            "the pattern of `{op}` must be a constant (a string literal or a pinned value), \
             found `{other}`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_mapping_keeps_length() {
        assert_eq!(lower("ÉCOLE"), "école");
        assert_eq!(upper("straße"), "STRAßE");
        assert_eq!(lower("ΣΑΣ"), "σασ");
        assert_eq!(upper("σας"), "ΣΑΣ");
        assert_eq!(lower("İ"), "i");
        assert_eq!(upper("ﬁ"), "ﬁ");
        assert_eq!(upper("ᾳ"), "ᾼ");
        assert_eq!(upper("ᾀ"), "ᾈ");
    }

    #[test]
    fn length_counts_characters() {
        assert_eq!(length(""), 0);
        assert_eq!(length("straße"), 6);
        assert_eq!(length("Ωμέγα"), 5);
        assert_eq!(length("a\0b"), 3);
    }

    #[test]
    fn like_patterns() {
        let yes = [
            ("", ""),
            ("", "%"),
            ("abc", "abc"),
            ("abc", "a%"),
            ("abc", "%c"),
            ("abc", "%b%"),
            ("abc", "a_c"),
            ("abc", "___"),
            ("abc", "%%%"),
            ("aXbXc", "a%b%c"),
            ("mississippi", "%iss%ppi"),
            ("50%", "50\\%"),
            ("a_b", "a\\_b"),
            ("a\\b", "a\\\\b"),
            ("a\\", "a\\"),
            ("straße", "stra_e"),
            ("Ωμέγα", "Ω%α"),
            ("x'; DROP", "x'%"),
        ];
        for (text, pattern) in yes {
            assert!(like(text, pattern), "{text:?} like {pattern:?}");
        }
        let no = [
            ("", "_"),
            ("abc", "ab"),
            ("abc", "ABC"),
            ("abc", "a_"),
            ("abc", "____"),
            ("abc", "%d%"),
            ("50", "50\\%"),
            ("axb", "a\\_b"),
            ("aXbXd", "a%b%c"),
        ];
        for (text, pattern) in no {
            assert!(!like(text, pattern), "{text:?} not like {pattern:?}");
        }
        assert!(ilike("ÉCOLE", "éc%"));
        assert!(ilike("straße", "STRA%"));
        assert!(ilike("ΣΑΣ", "σ_σ"));
        assert!(!like("ÉCOLE", "éc%"));
    }

    #[test]
    fn escaped_patterns_read_the_same() {
        for (pattern, escaped) in [
            ("a%", "a%"),
            ("50\\%", "50\\%"),
            ("a\\b", "ab"),
            ("a\\", "a\\\\"),
            ("%%_", "%_"),
            ("it's", "it's"),
        ] {
            assert_eq!(Pattern::new(pattern, false).escaped(), escaped);
            assert_eq!(
                Pattern::new(escaped, false),
                Pattern::new(pattern, false),
                "{pattern:?}"
            );
        }
    }
}
