//! Which benchmark cases a command-line filter (criterion's, a regex) selects:
//! those whose full name holds one of its `|`-separated alternatives.

/// The words of a command-line filter (criterion's, a regex): its
/// `|`-separated alternatives; none when no filter is given.
pub fn filter_words() -> Vec<String> {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .flat_map(|a| a.split('|').map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

/// Whether a case of full name `name` runs under the filter `words`: when
/// there is none, or `name` holds one of them.
pub fn selected(name: &str, words: &[String]) -> bool {
    words.is_empty() || words.iter().any(|w| name.contains(w.as_str()))
}
