//! `ashore_rows`: a create of any number of rows is one statement reading them
//! in place, and the table read from SQL without rows bound to it is empty.

use super::*;
use crate::testing::flat;

#[tokio::test]
async fn a_create_of_many_rows_is_one_statement() {
    let sqlite = migrated_memory().await;
    // More rows than three `INSERT .. VALUES` of SQLite's 32,766 parameters
    // take (10,922 rows of three attributes each).
    let count = 25_000_i64;
    let rows = (0..count)
        .map(|i| vec![Value::Null, s(&format!("rep {i}")), i.into()])
        .collect();
    let before = sqlite.statements();
    sqlite
        .create(Rep::schema(), flat(rows))
        .await
        .expect("create");
    assert_eq!(sqlite.statements() - before, 1, "one statement");
    let (stored, last): (i64, (i64, String, i64)) = sqlite
        .with_connection(|c| {
            let stored = c.query_row("SELECT count(*) FROM rep", [], |r| r.get(0))?;
            let last = c.query_row(
                "SELECT id, name, threshold FROM rep ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            Ok((stored, last))
        })
        .await
        .expect("read back");
    assert_eq!(stored, count);
    assert_eq!(last, (count, format!("rep {}", count - 1), count - 1));
}

#[tokio::test]
async fn ashore_rows_without_rows_bound_is_empty() {
    let sqlite = Sqlite::memory().expect("memory");
    let counts: Vec<i64> = sqlite
        .with_connection(|c| {
            [
                "SELECT count(*) FROM ashore_rows",
                "SELECT count(*) FROM ashore_rows(1)",
            ]
            .iter()
            .map(|sql| c.query_row(sql, [], |r| r.get(0)))
            .collect()
        })
        .await
        .expect("read ashore_rows");
    assert_eq!(counts, [0, 0]);
}
