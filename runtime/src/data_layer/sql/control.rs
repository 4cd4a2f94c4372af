//! Raw SQL that would end or nest the transaction a layer holds: a `COMMIT`,
//! `ROLLBACK` or `BEGIN` of its own, sent through `Sqlite::query` or
//! `Postgres::query` inside `Domain::transaction`. Ended that way, the
//! transaction's writes so far would be kept (or lost) behind the block's
//! back, and its later statements would run outside any transaction, each
//! committed on its own. Both layers refuse such SQL inside a transaction
//! before it runs, alike; the block ends the transaction by returning.
//!
//! The check reads the statement's first keyword, after blanks and comments.
//! That is enough because a raw query is one statement on both layers:
//! PostgreSQL refuses several commands in one prepared statement, and the
//! SQLite layer refuses a second statement after the first.

use crate::error::{Error, Result};

/// Keywords that start a statement ending, opening or nesting a transaction
/// (`PREPARE` only as `PREPARE TRANSACTION`, see [`control_keyword`]).
const CONTROL: [&str; 8] = [
    "BEGIN",
    "START",
    "COMMIT",
    "END",
    "ROLLBACK",
    "ABORT",
    "SAVEPOINT",
    "RELEASE",
];

/// The transaction-control keyword `sql` starts with, if it starts with one
/// (as written, for the error), case-insensitively.
pub(crate) fn control_keyword(sql: &str) -> Option<&str> {
    let rest = skip_blanks(sql);
    let (first, rest) = word(rest);
    if CONTROL.iter().any(|k| k.eq_ignore_ascii_case(first)) {
        return Some(first);
    }
    // `PREPARE TRANSACTION 'id'` ends the transaction (two-phase commit);
    // `PREPARE name AS ..` is a statement like any other.
    if first.eq_ignore_ascii_case("PREPARE") {
        let (second, _) = word(skip_blanks(rest));
        if second.eq_ignore_ascii_case("TRANSACTION") {
            return Some(first);
        }
    }
    None
}

/// An error when `sql`, run as a raw query for `resource` on `layer` inside a
/// transaction, would end or nest it.
pub(crate) fn refuse_in_transaction(layer: &str, resource: &str, sql: &str) -> Result<()> {
    match control_keyword(sql) {
        None => Ok(()),
        Some(keyword) => Err(Error::data_layer(format!(
            "{layer}: a query for {resource} inside a transaction starts with `{keyword}`, which \
             would end or nest the transaction the layer holds; the block ends it (return `Ok` to \
             commit, an `Err` to roll back), and each write already runs in a savepoint of its own"
        ))),
    }
}

/// `sql` past leading whitespace, `-- line` comments and `/* block */`
/// comments (nested, as PostgreSQL reads them; an unclosed one is all comment).
fn skip_blanks(mut sql: &str) -> &str {
    loop {
        let trimmed = sql.trim_start();
        if let Some(line) = trimmed.strip_prefix("--") {
            sql = line.find('\n').map_or("", |end| &line[end..]);
        } else if trimmed.starts_with("/*") {
            sql = past_block_comment(trimmed);
        } else {
            return trimmed;
        }
    }
}

/// `sql` (which starts with `/*`) past its comment, nested ones included.
fn past_block_comment(sql: &str) -> &str {
    let bytes = sql.as_bytes();
    let (mut depth, mut i) = (0usize, 0);
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    // `i` is past two ASCII bytes: a char boundary.
                    return &sql[i..];
                }
            }
            _ => i += 1,
        }
    }
    ""
}

/// The leading word of `sql` (letters, digits, `_`) and what follows it.
fn word(sql: &str) -> (&str, &str) {
    let end = sql
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(sql.len());
    sql.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::control_keyword;

    #[test]
    fn finds_the_keywords_that_end_or_nest_a_transaction() {
        for sql in [
            "COMMIT",
            "commit;",
            "  End transaction",
            "ROLLBACK AND CHAIN",
            "rollback to savepoint ashore_write",
            "abort",
            "BEGIN",
            "start transaction isolation level serializable",
            "SAVEPOINT mine",
            "release savepoint mine",
            "PREPARE TRANSACTION 'x'",
            "prepare\n\ttransaction 'x'",
            "-- why\nCOMMIT",
            "/* a /* nested */ comment */ COMMIT",
            "/**/COMMIT",
        ] {
            assert!(control_keyword(sql).is_some(), "{sql:?}");
        }
    }

    #[test]
    fn lets_other_statements_through() {
        for sql in [
            "SELECT * FROM commits",
            "select 1 -- COMMIT",
            "WITH x AS (SELECT 1) SELECT * FROM x",
            "PREPARE get AS SELECT 1",
            "committed_rows",
            "begins",
            "UPDATE t SET status = 'ROLLBACK'",
            "/* COMMIT */ SELECT 1",
            "/* unclosed COMMIT",
            "",
            "-- only a comment",
        ] {
            assert_eq!(control_keyword(sql), None, "{sql:?}");
        }
    }
}
