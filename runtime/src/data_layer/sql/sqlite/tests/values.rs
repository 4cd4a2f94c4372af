//! Values through a real SQLite: round trips, what SQLite cannot keep, text
//! order, list parameters (and the check of raw SQL's `rarray` calls), and
//! values that do not decode.

use super::*;

/// Writes `v` into a column declared `column` and reads it back as a `t`.
fn round_trip(column: &str, t: ValueType, v: &Value) -> std::result::Result<Value, Found> {
    let conn = Connection::open_in_memory().expect("open");
    conn.execute_batch(&format!("CREATE TABLE v (x {column})"))
        .expect("create");
    conn.execute("INSERT INTO v (x) VALUES (?1)", [Bind(v)])
        .expect("insert");
    conn.query_row("SELECT x FROM v", [], |r| Ok(decode(r.get_ref(0)?, t)))
        .expect("select")
}

fn same(column: &str, t: ValueType, v: Value) {
    assert_eq!(
        round_trip(column, t, &v),
        Ok(v.clone()),
        "{v:?} in {column}"
    );
}

#[test]
fn strings_round_trip_intact() {
    let long = "ab'\"; --\n".repeat(20_000);
    for text in [
        "",
        "it's",
        "\"quoted\" and 'quoted'",
        "'; DROP TABLE v; --",
        "-- a comment",
        "/* not a comment */",
        "nul\0inside",
        "\0",
        "\0\0trailing\0",
        "é 漢字 😀 \u{202e}rtl \u{feff}",
        "?1 $1 :x @y",
        &long,
    ] {
        same("TEXT", ValueType::String, s(text));
    }
}

#[test]
fn integers_and_bools_round_trip() {
    for i in [i64::MIN, i64::MIN + 1, -1, 0, 1, i64::MAX] {
        same("INTEGER", ValueType::I64, Value::Int(i));
    }
    for i in [i16::MIN, i16::MAX] {
        same("INTEGER", ValueType::I16, Value::Int(i.into()));
    }
    for i in [i32::MIN, i32::MAX] {
        same("INTEGER", ValueType::I32, Value::Int(i.into()));
    }
    same("INTEGER", ValueType::Bool, Value::Bool(true));
    same("INTEGER", ValueType::Bool, Value::Bool(false));
    for t in [ValueType::I64, ValueType::String, ValueType::Uuid] {
        same("INTEGER", t, Value::Null);
    }
}

#[test]
fn floats_round_trip_bit_for_bit() {
    for f in [
        0.0,
        1.5,
        0.1 + 0.2,
        -1e-300,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        5e-324,
        f64::EPSILON,
        f64::INFINITY,
        f64::NEG_INFINITY,
        3.0,
        -(2.0_f64.powi(60)),
    ] {
        let back = round_trip("REAL", ValueType::F64, &Value::Float(f));
        match back {
            Ok(Value::Float(g)) => assert_eq!(g.to_bits(), f.to_bits(), "{f:e}"),
            other => panic!("{f:e} came back as {other:?}"),
        }
    }
}

/// What SQLite cannot keep: NaN becomes NULL, -0.0 becomes 0.0.
#[test]
fn nan_becomes_null_and_negative_zero_loses_its_sign() {
    assert_eq!(
        round_trip("REAL", ValueType::F64, &Value::Float(f64::NAN)),
        Ok(Value::Null)
    );
    assert_eq!(
        round_trip("REAL", ValueType::F64, &Value::Float(-0.0)),
        Ok(Value::Float(0.0))
    );
    let row = vec![Value::Int(1), s("x"), Value::Float(f64::NAN)];
    let schema = Rep::schema();
    assert_eq!(nan_attribute(schema, [row.as_slice()]), Some("threshold"));
    assert_eq!(
        nan_attribute(schema, [[Value::Float(1.0)].as_slice()]),
        None
    );
}

#[test]
fn uuids_round_trip_as_lowercase_hyphenated_text() {
    let u = Uuid::parse_str("A1A2A3A4-B1B2-C1C2-D1D2-D3D4D5D6D7D8").expect("uuid");
    for v in [Uuid::nil(), Uuid::max(), Uuid::new_v4(), u] {
        same("TEXT", ValueType::Uuid, Value::Uuid(v));
    }
    let conn = Connection::open_in_memory().expect("open");
    let stored: String = conn
        .query_row("SELECT ?1", [Bind(&Value::Uuid(u))], |r| r.get(0))
        .expect("select");
    assert_eq!(stored, "a1a2a3a4-b1b2-c1c2-d1d2-d3d4d5d6d7d8");
    // Only that form reads: every other spelling, and a 16-byte blob, would be
    // missed by a filter comparing with a bound UUID.
    let stored = rusqlite::types::ValueRef::Text(b"a1a2a3a4-b1b2-c1c2-d1d2-d3d4d5d6d7d8");
    assert_eq!(decode(stored, ValueType::Uuid), Ok(Value::Uuid(u)));
    for other in [
        &b"A1A2A3A4-B1B2-C1C2-D1D2-D3D4D5D6D7D8"[..],
        b"a1a2a3a4b1b2c1c2d1d2d3d4d5d6d7d8",
        b"{a1a2a3a4-b1b2-c1c2-d1d2-d3d4d5d6d7d8}",
    ] {
        let text = rusqlite::types::ValueRef::Text(other);
        assert!(
            matches!(decode(text, ValueType::Uuid), Err(Found::UuidForm(_))),
            "{}",
            String::from_utf8_lossy(other)
        );
    }
    let blob = rusqlite::types::ValueRef::Blob(u.as_bytes());
    assert!(matches!(
        decode(blob, ValueType::Uuid),
        Err(Found::UuidForm(_))
    ));
}

#[test]
fn datetimes_round_trip_with_microseconds() {
    let cases = [
        micros(0, 0),
        micros(1_700_000_000, 123_456),
        micros(1_700_000_000, 1),
        micros(-1, 999_999),
        Utc.with_ymd_and_hms(1, 1, 1, 0, 0, 0)
            .single()
            .expect("year 1"),
        Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59)
            .single()
            .expect("year 9999"),
    ];
    for d in cases {
        same("TEXT", ValueType::DateTime, Value::DateTime(d));
    }
    assert_eq!(
        encode_datetime(&micros(1_709_251_199, 123_456)),
        "2024-02-29T23:59:59.123456Z"
    );
    assert_eq!(
        encode_datetime(&micros(0, 0)),
        "1970-01-01T00:00:00.000000Z"
    );
    // Nanoseconds beyond microseconds are dropped.
    let nanos = Utc.timestamp_opt(5, 123_456_789).single().expect("a time");
    assert_eq!(
        round_trip("TEXT", ValueType::DateTime, &Value::DateTime(nanos)),
        Ok(Value::DateTime(micros(5, 123_456)))
    );
}

#[test]
fn datetimes_decode_from_other_spellings() {
    let expect = Some(micros(1_704_103_200, 500_000));
    for text in [
        "2024-01-01T10:00:00.5Z",
        "2024-01-01T10:00:00.500000000Z",
        "2024-01-01T11:00:00.5+01:00",
        "2024-01-01 10:00:00.500",
    ] {
        assert_eq!(
            crate::data_layer::columns::sqlite::decode_datetime(text),
            expect,
            "{text}"
        );
    }
    assert_eq!(
        crate::data_layer::columns::sqlite::decode_datetime("2024-01-01 10:00:00"),
        Some(micros(1_704_103_200, 0))
    );
    assert_eq!(
        crate::data_layer::columns::sqlite::decode_datetime("yesterday"),
        None
    );
}

#[test]
fn stored_text_sorts_as_rust_does() {
    let conn = Connection::open_in_memory().expect("open");
    conn.execute_batch("CREATE TABLE v (x TEXT)")
        .expect("create");
    let check = |values: Vec<Value>, t: ValueType| {
        conn.execute("DELETE FROM v", []).expect("delete");
        for v in values.iter().rev() {
            conn.execute("INSERT INTO v VALUES (?1)", [Bind(v)])
                .expect("insert");
        }
        let mut stmt = conn.prepare("SELECT x FROM v ORDER BY x").expect("prepare");
        let back: Vec<Value> = stmt
            .query_map([], |r| Ok(decode(r.get_ref(0)?, t).expect("decode")))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        let mut sorted = values.clone();
        sorted.sort_by(|a, b| a.compare(b).expect("comparable"));
        assert_eq!(back, sorted);
    };
    check(
        ["B", "a", "", "é", "e", "😀", "a\0", "Z"].map(s).to_vec(),
        ValueType::String,
    );
    check(
        [
            micros(-86_400 * 365 * 100, 0),
            micros(0, 1),
            micros(0, 0),
            micros(1_700_000_000, 999_999),
            micros(1_700_000_001, 0),
            micros(253_402_300_799, 0),
        ]
        .map(Value::DateTime)
        .to_vec(),
        ValueType::DateTime,
    );
    check(
        (0..20).map(|_| Value::Uuid(Uuid::new_v4())).collect(),
        ValueType::Uuid,
    );
}

#[test]
fn lists_bind_as_one_rarray_parameter() {
    let conn = Connection::open_in_memory().expect("open");
    rusqlite::vtab::array::load_module(&conn).expect("rarray");
    let u = Uuid::new_v4();
    let d = micros(1_700_000_000, 42);
    for (t, values) in [
        (ValueType::I64, vec![Value::Int(i64::MIN), Value::Int(7)]),
        (ValueType::String, vec![s("it's; --"), s("nul\0"), s("")]),
        (ValueType::Uuid, vec![Value::Uuid(u)]),
        (ValueType::DateTime, vec![Value::DateTime(d)]),
        (ValueType::Bool, vec![Value::Bool(true), Value::Bool(false)]),
        (ValueType::F64, vec![Value::Float(0.5)]),
        (ValueType::I64, vec![]),
    ] {
        let mut stmt = conn
            .prepare("SELECT value FROM rarray(?1)")
            .expect("prepare");
        codec::bind(&mut stmt, &[Param::List(t, values.clone())]).expect("bind");
        let mut rows = stmt.raw_query();
        let mut back = Vec::new();
        while let Some(row) = rows.next().expect("row") {
            back.push(decode(row.get_ref(0).expect("column"), t).expect("decode"));
        }
        assert_eq!(back, values);
    }
    let mut stmt = conn.prepare("SELECT ?1, ?2").expect("prepare");
    let err = codec::bind(&mut stmt, &[Param::Value(Value::Int(1))]).expect_err("one short");
    assert!(matches!(err, rusqlite::Error::InvalidParameterCount(1, 2)));
}

#[test]
fn rarray_calls_are_found_with_their_parameters() {
    use codec::RarrayArgument::{Null, Other, Parameter};
    let named = |name: &str| match name {
        ":ids" => Some(3),
        "@b" => Some(4),
        _ => None,
    };
    let args = |sql| codec::rarray_arguments(sql, named);
    assert_eq!(args("SELECT 1"), []);
    assert_eq!(args("SELECT value FROM rarray(?1)"), [Parameter(1)]);
    assert_eq!(
        args("SELECT * FROM t WHERE a IN RArray ( ?7 ) AND b IN main.rarray(?2)"),
        [Parameter(7), Parameter(2)]
    );
    // `?` is one more than the largest number so far; named ones as SQLite says.
    assert_eq!(
        args("SELECT ?, ?5, ? FROM rarray(?) JOIN rarray(:ids) JOIN rarray(@b)"),
        [Parameter(7), Parameter(3), Parameter(4)]
    );
    // Strings, quoted names and comments are skipped.
    assert_eq!(
        args(
            "SELECT 'rarray(?1)', \"rarray\"(?2), [rarray](?3), `x` -- rarray(?4)
             /* rarray(?5) */ FROM rarray(?6)"
        ),
        [Parameter(6)]
    );
    assert_eq!(args("SELECT * FROM rarray(null)"), [Null]);
    assert_eq!(
        args("SELECT * FROM t, rarray(t.x) JOIN rarray((?1)) JOIN rarray() JOIN rarray(:nope)"),
        [Other("t.x"), Other("(?1)"), Other(""), Other(":nope")]
    );
    assert_eq!(args("SELECT * FROM rarray(?1"), [Parameter(1)]);
    assert_eq!(args("SELECT * FROM rarray"), []);
    assert_eq!(
        args("x$rarray(?1) my_rarray(?2) 'unterminated rarray(?3)"),
        []
    );
}

#[test]
fn raw_sql_lists_are_checked_before_binding() {
    let list = |values: Vec<Value>| Param::List(ValueType::I64, values);
    let check = |sql: &str, params: &[Param]| codec::check_lists(sql, params, |_| None);
    let one = Param::Value(Value::Int(1));
    assert_eq!(check("SELECT ?1", std::slice::from_ref(&one)), Ok(()));
    assert_eq!(
        check(
            "SELECT * FROM t WHERE a IN rarray(?2) AND b = ?1",
            &[one.clone(), list(vec![Value::Int(1), Value::Null])]
        ),
        Ok(())
    );
    // Nil is an empty list; a missing parameter is left to the count check.
    assert_eq!(
        check("SELECT * FROM rarray(?1)", &[Param::Value(Value::Null)]),
        Ok(())
    );
    assert_eq!(check("SELECT * FROM rarray(?2)", &[]), Ok(()));
    let err = |sql: &str, params: &[Param]| check(sql, params).expect_err(sql);
    assert!(
        err("SELECT * FROM rarray(?1)", std::slice::from_ref(&one))
            .contains("bound to the value 1"),
    );
    assert!(err("SELECT * FROM rarray(t.x)", &[]).contains("`rarray(t.x)`"));
    assert!(err("SELECT * FROM t WHERE a = ?1", &[list(vec![])]).contains("parameter 1 is a list"));
    assert!(
        err("SELECT * FROM rarray(?1)", &[list(vec![s("1")])]).contains("a list of i64, but holds")
    );
}

#[test]
fn values_that_do_not_fit_are_mismatches() {
    use rusqlite::types::ValueRef as V;
    let mismatch = |v: V<'_>, t| decode(v, t).expect_err("a mismatch");
    assert_eq!(
        mismatch(V::Integer(2), ValueType::Bool),
        Found::Value(Value::Int(2))
    );
    assert_eq!(
        mismatch(V::Integer(1 << 20), ValueType::I16),
        Found::Value(Value::Int(1 << 20))
    );
    assert_eq!(
        mismatch(V::Integer(i64::MAX), ValueType::I32),
        Found::Value(Value::Int(i64::MAX))
    );
    assert_eq!(
        mismatch(V::Text(b"7"), ValueType::I64),
        Found::Value(s("7"))
    );
    assert_eq!(
        mismatch(V::Real(1.0), ValueType::I64),
        Found::Value(Value::Float(1.0))
    );
    assert_eq!(
        mismatch(V::Text(b"not-a-uuid"), ValueType::Uuid),
        Found::Value(s("not-a-uuid"))
    );
    assert_eq!(
        mismatch(V::Text(b"2024-13-01"), ValueType::DateTime),
        Found::Value(s("2024-13-01"))
    );
    assert_eq!(
        mismatch(V::Blob(b"abc"), ValueType::String),
        Found::Value(Value::Bytes(b"abc".to_vec()))
    );
    assert_eq!(
        mismatch(V::Text(b"\xff\xfe"), ValueType::String),
        Found::Value(Value::Bytes(vec![0xff, 0xfe]))
    );
    // An integer where a float is stored reads as that float.
    assert_eq!(decode(V::Integer(3), ValueType::F64), Ok(Value::Float(3.0)));

    let err = codec::decode_attribute(
        V::Text(b"x"),
        ValueType::I16,
        Ticket::schema(),
        "priority",
        None,
    )
    .expect_err("a mismatch");
    assert!(matches!(
        err.kind(),
        ErrorKind::TypeMismatch {
            resource: "Ticket",
            attribute: "priority",
            expected: "i16",
            ..
        }
    ));
    let err = codec::decode_attribute(
        V::Blob(b"x"),
        ValueType::String,
        Ticket::schema(),
        "subject",
        None,
    )
    .expect_err("a mismatch");
    // A blob where text belongs is a mismatch like any other, shown as bytes.
    assert!(
        matches!(
            err.kind(),
            ErrorKind::TypeMismatch {
                resource: "Ticket",
                attribute: "subject",
                expected: "String",
                found: Value::Bytes(b),
                ..
            } if b == b"x"
        ),
        "{err:?}"
    );
}
