//! The statements run on an in-memory SQLite database (rusqlite, with the
//! `rarray` module), against the in-memory layer.

use crate::testing::flat;
use std::rc::Rc;

use rusqlite::types::Value as Sql;
use rusqlite::{Connection, ToSql};

use super::differential::{Db, answer, fixed, load, random, same};
use super::*;
use crate::data_layer::sql::build::{assign_integer_keys, insert, max_primary_key, migrate, read};

struct Sqlite(Connection);

fn open() -> Sqlite {
    let conn = Connection::open_in_memory().expect("open");
    rusqlite::vtab::array::load_module(&conn).expect("rarray");
    crate::data_layer::sql::sqlite::functions::register(&conn).expect("text functions");
    conn.execute_batch("PRAGMA foreign_keys = ON")
        .expect("pragma");
    Sqlite(conn)
}

fn to_sql(v: &Value) -> Sql {
    match v {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(i64::from(*b)),
        Value::Int(i) => Sql::Integer(*i),
        Value::Float(f) => Sql::Real(*f),
        Value::String(s) => Sql::Text(s.clone()),
        Value::Uuid(u) => Sql::Text(u.hyphenated().to_string()),
        Value::DateTime(d) => Sql::Text(d.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()),
        Value::Date(d) => Sql::Text(d.format("%Y-%m-%d").to_string()),
        Value::Bytes(b) => Sql::Blob(b.clone()),
        #[cfg(feature = "decimal")]
        Value::Decimal(d) => Sql::Text(d.to_string()),
        #[cfg(feature = "json")]
        Value::Json(j) => Sql::Text(j.to_string()),
    }
}

fn from_sql(v: Sql, t: ValueType) -> std::result::Result<Value, String> {
    Ok(match (v, t) {
        (Sql::Null, _) => Value::Null,
        (Sql::Integer(i), ValueType::Bool) => Value::Bool(i != 0),
        (Sql::Integer(i), ValueType::I16 | ValueType::I32 | ValueType::I64) => Value::Int(i),
        (Sql::Integer(i), ValueType::F64) => Value::Float(i as f64),
        (Sql::Real(f), ValueType::F64) => Value::Float(f),
        (Sql::Text(s), ValueType::String) => Value::String(s),
        (Sql::Text(s), ValueType::Uuid) => Value::Uuid(s.parse().map_err(|e| format!("{e}"))?),
        (Sql::Text(s), ValueType::DateTime) => Value::DateTime(
            DateTime::parse_from_rfc3339(&s)
                .map_err(|e| format!("{e}"))?
                .with_timezone(&Utc),
        ),
        (v, t) => return Err(format!("{v:?} read as {t:?}")),
    })
}

impl Db for Sqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&mut self, sql: &str) {
        self.0
            .execute_batch(sql)
            .unwrap_or_else(|e| panic!("{e}: {sql}"));
    }

    fn query(
        &mut self,
        statement: &Statement,
        schema: &'static Schema,
    ) -> std::result::Result<Vec<Row>, String> {
        let mut types: Vec<ValueType> = match &statement.columns {
            Columns::Values(types) => types.clone(),
            _ => schema.attributes.iter().map(|a| a.value_type).collect(),
        };
        types.extend(key_type(statement));
        let params: Vec<Box<dyn ToSql>> = statement
            .params
            .iter()
            .map(|p| -> Box<dyn ToSql> {
                match p {
                    Param::Value(v) => Box::new(to_sql(v)),
                    Param::List(_, values) => {
                        Box::new(Rc::new(values.iter().map(to_sql).collect::<Vec<_>>()))
                    }
                }
            })
            .collect();
        let mut stmt = self.0.prepare(&statement.sql).map_err(|e| e.to_string())?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| e.to_string())? {
            let mut values = Vec::with_capacity(types.len());
            for (i, t) in types.iter().enumerate() {
                let v: Sql = row.get(i).map_err(|e| e.to_string())?;
                values.push(from_sql(v, *t)?);
            }
            out.push(values);
        }
        Ok(out)
    }
}

#[test]
fn same_answers_as_memory() {
    let mut db = open();
    load(&mut db);
    let memory = memory();
    fixed(&mut db, &memory);
    super::visibility::fixed(&mut db, &memory);
    super::aggregates::same_as_memory(&mut db, &memory);
    super::grouped::same_as_memory(&mut db, &memory);
    random(&mut db, &memory, 0x5eed_0001, 3000);
    super::random_aggregates::random(&mut db, &memory, 0xa99_0001, 1500);
    // Last: it adds a table to both.
    super::keyed::same_as_memory(&mut db, &memory);
}

#[test]
fn in_lists_with_nil_through_rarray() {
    // `rarray` carries NULL, with IN's semantics; the builder leaves nils out of
    // lists anyway (`NULLIF(x IN rarray(..), 0)`).
    let db = open();
    let list = Rc::new(vec![Sql::Integer(1), Sql::Null]);
    let got: Option<i64> =
        db.0.query_row("SELECT 2 IN rarray(?1)", [list.clone()], |r| r.get(0))
            .expect("query");
    assert_eq!(got, None);
    let got: Option<i64> =
        db.0.query_row("SELECT 1 IN rarray(?1)", [list], |r| r.get(0))
            .expect("query");
    assert_eq!(got, Some(1));
}

/// A row of `Rep` with key `id` (generated when nil) and name `name`.
fn rep(id: Option<i64>, name: &str) -> Row {
    vec![id.into(), s(name), Value::Null, Value::Null, Value::Null]
}

/// Creates batches mixing given and generated integer keys on SQLite and in
/// memory, and checks both return the same rows: with the keys left to the
/// statements' `(SELECT max(…)) + k`, or assigned first as the SQLite layer
/// does (`assign`: one `max_primary_key` query, then `assign_integer_keys`).
fn generated_key_batches(assign: bool) -> (Sqlite, Memory) {
    let mut db = open();
    for ddl in migrate(Dialect::Sqlite, &schemas()) {
        db.execute(&ddl);
    }
    let memory = Memory::new();
    for s in schemas() {
        memory.register(s).expect("register");
    }
    let batches = [
        vec![rep(None, "a"), rep(None, "b")],
        vec![rep(None, "c"), rep(Some(10), "d"), rep(None, "e")],
        vec![rep(Some(-5), "f"), rep(None, "g")],
        vec![],
    ];
    for rows in batches {
        let mut rows = flat(rows);
        if assign {
            let stored: Option<i64> =
                db.0.query_row(&max_primary_key(Rep::schema()), [], |r| r.get(0))
                    .expect("max");
            assign_integer_keys(Rep::schema(), &mut rows, stored).expect("assign");
        }
        let statements = insert(Dialect::Sqlite, Rep::schema(), &rows).expect("insert");
        let mut returned = Vec::new();
        for statement in &statements {
            returned.extend(db.query(statement, Rep::schema()).expect("insert"));
        }
        let created = block_on(memory.create(Rep::schema(), rows)).expect("create");
        let created: Vec<Row> = created
            .into_vec::<Rep>()
            .expect("reps")
            .iter()
            .map(|r| (0..5).map(|i| r.get(i)).collect())
            .collect();
        assert_eq!(returned, created, "assigned first: {assign}");
    }
    (db, memory)
}

#[test]
fn generated_keys_continue_after_the_largest() {
    generated_key_batches(true);
    let (mut db, memory) = generated_key_batches(false);
    // Chunked: every statement continues after the previous one.
    let rows: Vec<Row> = (0..7)
        .map(|i| rep(if i == 5 { Some(100) } else { None }, "x"))
        .collect();
    let rows = flat(rows);
    let statements =
        super::super::insert::insert_chunked(Dialect::Sqlite, Rep::schema(), &rows, None, 5)
            .expect("insert");
    assert!(statements.len() > 2);
    let mut returned = Vec::new();
    for statement in &statements {
        check_placeholders(statement, Dialect::Sqlite);
        returned.extend(db.query(statement, Rep::schema()).expect("insert"));
    }
    let created = block_on(memory.create(Rep::schema(), rows)).expect("create");
    let created: Vec<i64> = created
        .into_vec::<Rep>()
        .expect("reps")
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(returned.iter().map(id_of).collect::<Vec<_>>(), created);
    // Insertion order, not key order, breaks ties.
    let all = vec![1, 2, 11, 10, 12, -5, 13, 101, 102, 103, 104, 105, 100, 106];
    assert_eq!(
        answer(&mut db, &ReadRequest::new(Rep::schema())),
        Ok((all, Vec::new()))
    );
    same(&mut db, &memory, &ReadRequest::new(Rep::schema())).expect("read");
}

#[test]
fn assigned_integer_keys_never_wrap() {
    let rows = vec![vec![
        Value::Null,
        s("a"),
        Value::Null,
        Value::Null,
        Value::Null,
    ]];
    let mut rows = flat(rows);
    let err = assign_integer_keys(Rep::schema(), &mut rows, Some(i64::MAX))
        .expect_err("no key after i64::MAX");
    assert!(err.to_string().contains("no integer key is left"), "{err}");
    assert!(rows[0][0].is_null());
}

#[test]
fn foreign_keys_hold() {
    let mut db = open();
    load(&mut db);
    let bad = vec![vec![
        Value::Int(50),
        Value::Int(77),
        Value::Null,
        Value::Null,
        Value::Null,
        Value::Null,
        Value::Null,
        Value::Null,
        Value::Null,
    ]];
    let statements = insert(Dialect::Sqlite, Ticket::schema(), &flat(bad)).expect("insert");
    let err = db
        .query(&statements[0], Ticket::schema())
        .expect_err("no rep 77");
    assert!(err.contains("FOREIGN KEY"), "{err}");
    let plan: String = db
        .0
        .query_row(
            "SELECT group_concat(name) FROM sqlite_master WHERE type = 'index' AND name LIKE '%_idx'",
            [],
            |r| r.get(0),
        )
        .expect("indexes");
    assert_eq!(
        plan,
        "ticket_rep_id_idx,ticket_tag_ticket_id_idx,ticket_tag_tag_id_idx"
    );
    let _ = read(Dialect::Sqlite, &ReadRequest::new(Tag::schema())).expect("read");
}

#[test]
fn a_plain_insert_reads_every_row_from_its_source_in_one_statement_and_returns_nothing() {
    let sql = crate::data_layer::sql::build::rows_insert(Rep::schema(), "ashore_rows");
    let names = r#""id", "name", "threshold", "score", "active""#;
    assert_eq!(
        sql,
        format!(r#"INSERT INTO "rep" ({names}) SELECT c0, c1, c2, c3, c4 FROM ashore_rows(?1)"#)
    );
}
