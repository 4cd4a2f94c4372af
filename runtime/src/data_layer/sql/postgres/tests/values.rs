//! Every value type through both binding paths (builder statements with casts,
//! raw SQL without) and back, with the awkward cases: quotes and comment markers
//! in text, unicode, NUL (refused by PostgreSQL: an error, not a panic), integer
//! extremes, timestamps with microseconds.

use chrono::{DateTime, TimeZone, Utc};
use uuid::Uuid;

use super::*;

pg_resource!(Val "val" None, {
    s: Option<String>,
    i: Option<i64>,
    i2: Option<i16>,
    i4: Option<i32>,
    f: Option<f64>,
    u: Option<Uuid>,
    t: Option<DateTime<Utc>>,
    b: Option<bool>,
});

const DDL: &str = "CREATE TABLE val (id bigint PRIMARY KEY, s text, i bigint, i2 smallint, \
                   i4 integer, f double precision, u uuid, t timestamptz, b boolean)";

const COLUMNS: &str = "id, s, i, i2, i4, f, u, t, b";

fn micros(secs: i64, micros: u32) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, micros * 1000)
        .single()
        .expect("valid")
}

fn strings() -> Vec<&'static str> {
    vec![
        "it's",
        "say \"hi\"",
        "'; DROP TABLE val; --",
        "-- not a comment",
        "/* nor this */",
        "héllo wörld — 日本語 🎉",
        "",
        "back\\slash",
        "tab\tnew\nline\r",
        "$1 ? %_ \\x00",
    ]
}

/// Records covering every type's extremes.
fn records() -> Vec<Val> {
    let full = |id: i64, s: &str| Val {
        id,
        s: Some(s.to_owned()),
        i: Some(id),
        i2: Some(id as i16),
        i4: Some(id as i32),
        f: Some(id as f64 / 3.0),
        u: Some(Uuid::from_u128(id as u128)),
        t: Some(micros(1_700_000_000 + id, 123_456)),
        b: Some(id % 2 == 0),
    };
    let mut records: Vec<Val> = strings()
        .into_iter()
        .enumerate()
        .map(|(n, s)| full(n as i64 + 1, s))
        .collect();
    records.push(Val {
        id: 100,
        s: Some("extremes".into()),
        i: Some(i64::MIN),
        i2: Some(i16::MIN),
        i4: Some(i32::MIN),
        f: Some(f64::MIN_POSITIVE),
        u: Some(Uuid::nil()),
        t: Some(micros(-2_208_988_800, 1)), // 1900-01-01T00:00:00.000001Z
        b: Some(false),
    });
    records.push(Val {
        id: 101,
        s: Some("other extremes".into()),
        i: Some(i64::MAX),
        i2: Some(i16::MAX),
        i4: Some(i32::MAX),
        f: Some(f64::MAX),
        u: Some(Uuid::max()),
        t: Some(micros(253_402_300_799, 999_999)), // 9999-12-31T23:59:59.999999Z
        b: Some(true),
    });
    records.push(Val {
        id: 102,
        s: Some("floats".into()),
        i: Some(0),
        i2: Some(0),
        i4: Some(0),
        f: Some(f64::NEG_INFINITY),
        u: Some(Uuid::new_v4()),
        t: Some(micros(946_684_799, 999_999)), // just before PostgreSQL's epoch
        b: None,
    });
    records.push(Val {
        id: 103,
        s: None,
        i: None,
        i2: None,
        i4: None,
        f: None,
        u: None,
        t: None,
        b: None,
    });
    records
}

fn row(v: &Val) -> Row {
    (0..Val::schema().attributes.len())
        .map(|i| v.get(i))
        .collect()
}

/// The insert of one record as the builder writes it: every placeholder cast.
fn insert(v: &Val) -> Statement {
    stmt(
        &format!(
            "INSERT INTO val ({COLUMNS}) VALUES ($1::bigint, $2::text, $3::bigint, \
             $4::smallint, $5::integer, $6::double precision, $7::uuid, $8::timestamptz, \
             $9::boolean) RETURNING {COLUMNS}"
        ),
        row(v).into_iter().map(Param::Value).collect(),
        Columns::Attributes,
    )
}

#[tokio::test]
async fn values_round_trip_through_builder_statements() {
    let Some(db) = layer("values_builder").await else {
        return;
    };
    db.execute(DDL).await;
    let records = records();
    let statements: Vec<Statement> = records.iter().map(insert).collect();
    let before = db.pg.statements();
    let created = db
        .pg
        .write(Val::schema(), &statements)
        .await
        .expect("insert");
    assert_eq!(db.pg.statements() - before, statements.len() as u64);
    let created: Vec<Val> = created.into_vec().expect("rows");
    assert_eq!(created, records);

    // Read back by a list of keys, as a partitioned read would: the key column
    // last, mapped to its position in the keys.
    let keys: Vec<Value> = records.iter().rev().map(|v| Value::Int(v.id)).collect();
    let read = stmt(
        &format!("SELECT {COLUMNS}, id FROM val WHERE id = ANY($1::bigint[]) ORDER BY id"),
        vec![Param::List(ValueType::I64, keys.clone())],
        Columns::AttributesAndKey(ValueType::I64),
    );
    let (rows, positions) = fetch::<Val>(&db.pg, &read, &keys).await.expect("read");
    let mut read: Vec<Val> = rows
        .into_iter()
        .map(Val::from_row)
        .collect::<Result<_>>()
        .expect("rows");
    // Grouped in the order of the keys: the last record's first.
    read.reverse();
    assert_eq!(read, records);
    let expected: Vec<usize> = (0..records.len()).collect();
    assert_eq!(positions, expected);

    // Lists of every other type, with a nil among them (nil matches nothing).
    for (column, t, cast) in [
        ("s", ValueType::String, "text"),
        ("u", ValueType::Uuid, "uuid"),
        ("t", ValueType::DateTime, "timestamptz"),
        ("i2", ValueType::I16, "smallint"),
        ("f", ValueType::F64, "double precision"),
        ("b", ValueType::Bool, "boolean"),
    ] {
        let index = Val::schema().attribute_index(column).expect("column");
        let values: Vec<Value> = records.iter().map(|v| v.get(index)).collect();
        let read = stmt(
            &format!("SELECT {COLUMNS} FROM val WHERE {column} = ANY($1::{cast}[]) ORDER BY id"),
            vec![Param::List(t, values.clone())],
            Columns::Attributes,
        );
        let (rows, positions) = fetch::<Val>(&db.pg, &read, &[])
            .await
            .expect("read by list");
        let expected: Vec<Row> = records
            .iter()
            .filter(|v| !v.get(index).is_null())
            .map(row)
            .collect();
        assert_eq!(rows, expected, "{column}");
        assert!(positions.is_empty());
    }
    db.drop().await;
}

#[tokio::test]
async fn values_round_trip_through_raw_sql() {
    let Some(db) = layer("values_raw").await else {
        return;
    };
    db.execute(DDL).await;
    let records = records();
    let placeholders = "$1, $2, $3, $4, $5, $6, $7, $8, $9";
    for v in &records {
        let created = db
            .pg
            .query::<Val>(
                &format!("INSERT INTO val ({COLUMNS}) VALUES ({placeholders}) RETURNING *"),
                row(v),
            )
            .await
            .expect("insert");
        assert_eq!(created, vec![v.clone()]);
    }
    let all = db
        .pg
        .query::<Val>("SELECT * FROM val ORDER BY id", vec![])
        .await
        .expect("select");
    assert_eq!(all, records);
    for text in strings() {
        let found = db
            .pg
            .query::<Val>("SELECT * FROM val WHERE s = $1", vec![s(text)])
            .await
            .expect("select by text");
        assert_eq!(found.len(), 1, "{text:?}");
        assert_eq!(found[0].s.as_deref(), Some(text));
    }
    // Columns are matched by name: order does not matter, extras are ignored.
    let reordered = db
        .pg
        .query::<Val>(
            "SELECT b, t, u, f, i4, i2, i, s, id, 'extra' AS extra FROM val WHERE id = $1",
            vec![Value::Int(100)],
        )
        .await
        .expect("reordered");
    assert_eq!(reordered, vec![records[records.len() - 4].clone()]);
    // Untyped placeholders take the column's type: an integer into smallint,
    // integer and double precision, a timestamp into timestamp.
    let n = db
        .pg
        .query::<Val>(
            "SELECT * FROM val WHERE i2 = $1 AND i4 = $2 AND f > $3 AND t > $4::timestamp",
            vec![
                Value::Int(2),
                Value::Int(2),
                Value::Int(0),
                Value::DateTime(micros(0, 0)),
            ],
        )
        .await
        .expect("coerced");
    assert_eq!(n.iter().map(|v| v.id).collect::<Vec<_>>(), vec![2]);
    db.drop().await;
}

#[tokio::test]
async fn bad_values_are_errors_not_panics() {
    let Some(db) = layer("values_bad").await else {
        return;
    };
    db.execute(DDL).await;
    let mut nul = records()[0].clone();
    nul.s = Some("a\0b".into());
    // Through the builder path: PostgreSQL text cannot hold NUL.
    let err = db
        .pg
        .write(Val::schema(), &[insert(&records()[1]), insert(&nul)])
        .await
        .expect_err("NUL in text");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::DataLayer {
                source: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("0x00"), "{err}");
    // The transaction was rolled back: the first insert is gone too.
    let all = db
        .pg
        .query::<Val>("SELECT * FROM val", vec![])
        .await
        .expect("select");
    assert!(all.is_empty(), "{all:?}");
    // Through raw SQL.
    let err = db
        .pg
        .query::<Val>("SELECT * FROM val WHERE s = $1", vec![s("a\0b")])
        .await
        .expect_err("NUL in text");
    assert!(err.to_string().contains("0x00"), "{err}");

    // Integers out of range of the column's type.
    let err = db
        .pg
        .query::<Val>("SELECT * FROM val WHERE i2 = $1", vec![Value::Int(40_000)])
        .await
        .expect_err("out of smallint range");
    assert!(err.to_string().contains("out of range"), "{err}");
    let err = db
        .pg
        .query::<Val>(
            "SELECT * FROM val WHERE i4 = $1",
            vec![Value::Int(i64::MAX)],
        )
        .await
        .expect_err("out of integer range");
    assert!(err.to_string().contains("out of range"), "{err}");
    // A value of the wrong type for its placeholder.
    let err = db
        .pg
        .query::<Val>("SELECT * FROM val WHERE i = $1", vec![s("7")])
        .await
        .expect_err("text for bigint");
    assert!(err.to_string().contains("cannot bind"), "{err}");
    let err = db
        .pg
        .query::<Val>("SELECT * FROM val WHERE i = $1", vec![])
        .await
        .expect_err("missing parameter");
    assert!(matches!(err.kind(), ErrorKind::DataLayer { .. }), "{err:?}");
    // A list holding a value of another type.
    let bad_list = stmt(
        &format!("SELECT {COLUMNS} FROM val WHERE id = ANY($1::bigint[])"),
        vec![Param::List(ValueType::I64, vec![Value::Int(1), s("2")])],
        Columns::Attributes,
    );
    let err = fetch::<Val>(&db.pg, &bad_list, &[])
        .await
        .expect_err("mixed list");
    assert!(err.to_string().contains("a list of I64"), "{err}");
    // A list for a placeholder that is not an array.
    let not_array = stmt(
        &format!("SELECT {COLUMNS} FROM val WHERE id = $1::bigint"),
        vec![Param::List(ValueType::I64, vec![Value::Int(1)])],
        Columns::Attributes,
    );
    let err = fetch::<Val>(&db.pg, &not_array, &[])
        .await
        .expect_err("list for a scalar");
    assert!(err.to_string().contains("list parameter"), "{err}");

    // Columns that do not fit the resource.
    let err = db
        .pg
        .query::<Val>("SELECT id, s FROM val WHERE false", vec![])
        .await
        .expect_err("missing columns");
    assert!(err.to_string().contains("no column `i`"), "{err}");
    db.execute("INSERT INTO val (id, s) VALUES (1, 'x')").await;
    let err = db
        .pg
        .query::<Val>("SELECT id, s, s AS i, i2, i4, f, u, t, b FROM val", vec![])
        .await
        .expect_err("text for an integer");
    assert!(
        matches!(
            err.kind(),
            // The expected type named as on every layer: the attribute's Rust type.
            ErrorKind::TypeMismatch {
                attribute: "i",
                expected: "Option<i64>",
                ..
            }
        ),
        "{err:?}"
    );
    let err = db
        .pg
        .query::<Val>(
            "SELECT id, s, i, i2, i4, 1.5::numeric AS f, u, t, b FROM val",
            vec![],
        )
        .await
        .expect_err("numeric");
    if cfg!(feature = "decimal") {
        // Read as a decimal, which a float attribute does not take.
        assert!(
            matches!(err.kind(), ErrorKind::TypeMismatch { attribute: "f", .. }),
            "{err:?}"
        );
    } else {
        assert!(err.to_string().contains("numeric"), "{err}");
    }
    // A partitioned read returning a key that was not asked for.
    let stray = stmt(
        &format!("SELECT {COLUMNS}, 99::bigint FROM val"),
        vec![],
        Columns::AttributesAndKey(ValueType::I64),
    );
    let err = fetch::<Val>(&db.pg, &stray, &[Value::Int(1)])
        .await
        .expect_err("stray key");
    assert!(err.to_string().contains("not asked for"), "{err}");
    // The layer still works after all that.
    assert_eq!(
        db.pg
            .query::<Val>("SELECT * FROM val", vec![])
            .await
            .expect("select")
            .len(),
        1
    );
    db.drop().await;
}

#[tokio::test]
async fn a_stored_value_that_cannot_be_decoded_names_its_attribute_and_reason() {
    let Some(db) = layer("values_undecodable").await else {
        return;
    };
    db.execute(DDL).await;
    // `infinity` is a timestamptz no `DateTime<Utc>` holds.
    db.execute("INSERT INTO val (id, t) VALUES (1, 'infinity')")
        .await;
    let read = stmt(
        &format!("SELECT {COLUMNS} FROM val"),
        vec![],
        Columns::Attributes,
    );
    let through_read = fetch::<Val>(&db.pg, &read, &[])
        .await
        .expect_err("infinity");
    let through_sql = db
        .pg
        .query::<Val>("SELECT * FROM val", vec![])
        .await
        .expect_err("infinity");
    for err in [through_read, through_sql] {
        let text = err.to_string();
        assert!(text.contains("decoding Val.t (column `t`)"), "{text}");
        assert!(text.contains("too large"), "the driver's reason: {text}");
        assert!(std::error::Error::source(&err).is_some(), "{err:?}");
    }
    db.drop().await;
}

#[tokio::test]
async fn raw_sql_binds_lists_as_arrays() {
    let Some(db) = layer("values_lists").await else {
        return;
    };
    db.execute(DDL).await;
    let records = records();
    for v in &records {
        db.pg
            .query_params::<Val>(
                &format!(
                    "INSERT INTO val ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                     RETURNING *"
                ),
                row(v).into_iter().map(Param::Value).collect(),
            )
            .await
            .expect("insert");
    }
    let ids = |found: Vec<Val>| found.into_iter().map(|v| v.id).collect::<Vec<_>>();
    // A list of each kind, with a plain value beside it.
    let found = db
        .pg
        .query_params::<Val>(
            "SELECT * FROM val WHERE id = ANY($1) AND s <> $2 ORDER BY id",
            vec![
                Param::List(
                    ValueType::I64,
                    vec![Value::Int(3), Value::Int(1), Value::Int(999), Value::Int(2)],
                ),
                Param::Value(s("say \"hi\"")),
            ],
        )
        .await
        .expect("ids");
    assert_eq!(ids(found), [1, 3]);
    let texts = strings().into_iter().take(3).map(s).collect();
    let found = db
        .pg
        .query_params::<Val>(
            "SELECT * FROM val WHERE s = ANY($1) ORDER BY id",
            vec![Param::List(ValueType::String, texts)],
        )
        .await
        .expect("texts");
    assert_eq!(ids(found), [1, 2, 3]);
    let found = db
        .pg
        .query_params::<Val>(
            "SELECT * FROM val WHERE u = ANY($1) ORDER BY id",
            vec![Param::List(
                ValueType::Uuid,
                vec![Value::Uuid(Uuid::from_u128(4)), Value::Uuid(Uuid::max())],
            )],
        )
        .await
        .expect("uuids");
    assert_eq!(ids(found), [4, 101]);
    // An empty list matches nothing; a cast types an otherwise unknown array.
    let found = db
        .pg
        .query_params::<Val>(
            "SELECT * FROM val WHERE id = ANY($1::bigint[])",
            vec![Param::List(ValueType::I64, vec![])],
        )
        .await
        .expect("empty");
    assert!(found.is_empty());
    // `query` is `query_params` with every parameter a value.
    let found = db
        .pg
        .query::<Val>("SELECT * FROM val WHERE id = $1", vec![Value::Int(5)])
        .await
        .expect("a value");
    assert_eq!(ids(found), [5]);
    // Errors, not panics: a list where no array is expected, a value where an
    // array is, a list holding another type.
    for (sql, param) in [
        (
            "SELECT * FROM val WHERE id = $1",
            Param::List(ValueType::I64, vec![Value::Int(1)]),
        ),
        (
            "SELECT * FROM val WHERE id = ANY($1)",
            Param::Value(Value::Int(1)),
        ),
        (
            "SELECT * FROM val WHERE id = ANY($1)",
            Param::List(ValueType::I64, vec![s("1")]),
        ),
    ] {
        let err = db
            .pg
            .query_params::<Val>(sql, vec![param])
            .await
            .expect_err(sql);
        assert!(
            matches!(err.kind(), ErrorKind::DataLayer { .. }),
            "{sql}: {err}"
        );
    }
    db.drop().await;
}
