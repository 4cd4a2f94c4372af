//! Did-you-mean and wording helpers for error messages, shared by every layer
//! that reports a mistake (`expr`'s parser, `parse`, `validate`). The bottom
//! layer: it knows words, not the model.

use proc_macro2::Span;

/// The closest of `candidates` to `word`, when it is close enough to be a typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let candidates: Vec<&'a str> = candidates.into_iter().filter(|c| *c != word).collect();
    // `DESC`, `Name`: the same word in another case.
    let lower = word.to_lowercase();
    if let Some(same) = candidates.iter().find(|c| c.to_lowercase() == lower) {
        return Some(same);
    }
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::jaro_winkler(word, c),
                strsim::levenshtein(word, c),
                c,
            )
        })
        .filter(|&(jw, lev, _)| jw > 0.8 || (lev <= 2 && lev < word.len().min(4)))
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, _, c)| c)
}

/// Every candidate close enough to `word` to be a typo, closest first.
pub fn close_ones<'a>(word: &str, candidates: &[&'a str]) -> Vec<&'a str> {
    let mut close: Vec<(f64, &'a str)> = candidates
        .iter()
        .map(|&c| (strsim::jaro_winkler(word, c), c))
        .filter(|&(score, c)| score > 0.8 || did_you_mean(word, [c]).is_some())
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0));
    close.into_iter().map(|(_, c)| c).collect()
}

/// "`a`, `b` or `c`"
pub fn one_of(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// "; did you mean `x`?" or ": expected `a`, `b` or `c`".
pub fn hint(word: &str, candidates: &[&str]) -> String {
    match did_you_mean(word, candidates.iter().copied()) {
        Some(s) => format!("; did you mean `{s}`?"),
        None => format!(": expected {}", one_of(candidates)),
    }
}

/// `hint` among the keywords of this block; a word close only to a keyword of
/// the other block gets that keyword and where it goes.
pub fn hint_or_elsewhere(word: &str, here: &[&str], there: &[&str], block: &str) -> String {
    if did_you_mean(word, here.iter().copied()).is_none()
        && let Some(s) = did_you_mean(word, there.iter().copied())
    {
        return format!("; did you mean `{s}`? It goes in `{block} {{ }}`");
    }
    hint(word, here)
}

/// "; did you mean `x`?" for a name close to one of `names`, otherwise
/// `otherwise` given the names as "`a`, `b` or `c`".
pub fn hint_or_list(
    word: &str,
    names: &[String],
    otherwise: impl FnOnce(String) -> String,
) -> String {
    match did_you_mean(word, names.iter().map(String::as_str)) {
        Some(s) => format!("; did you mean `{s}`?"),
        None => otherwise(one_of(
            &names.iter().map(String::as_str).collect::<Vec<_>>(),
        )),
    }
}

/// " (first on line 12)", when the compiler tells lines.
pub fn first_at(span: Span) -> String {
    match span.start().line {
        0 => String::new(),
        line => format!(" (first on line {line})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_only_when_close() {
        let kinds = ["belongs_to", "has_one", "has_many", "many_to_many"];
        assert_eq!(did_you_mean("has_man", kinds), Some("has_many"));
        assert_eq!(did_you_mean("belong_to", kinds), Some("belongs_to"));
        assert_eq!(did_you_mean("many2many", kinds), Some("many_to_many"));
        assert_eq!(did_you_mean("xyz", kinds), None);
        assert_eq!(did_you_mean("id", ["x", "name"]), None);
        assert_eq!(
            did_you_mean("nme", ["id", "name", "priority_threshold"]),
            Some("name")
        );
        assert_eq!(did_you_mean("Name", ["id", "name"]), Some("name"));
    }

    #[test]
    fn lists_read_naturally() {
        assert_eq!(one_of(&["a"]), "`a`");
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
