//! The shared data set (nils, extreme integers, keys given out of order, join
//! records that repeat or dangle), expression builders, the in-memory layer's
//! answers, and checks of a statement's placeholders.

use super::*;

pub(super) fn block_on<T>(future: impl Future<Output = T>) -> T {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = future.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

pub(super) fn at(minute: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000 + minute * 60, minute as u32 * 1000)
        .expect("a valid timestamp")
}

pub(super) fn uuid(n: u8) -> Uuid {
    Uuid::from_bytes([n.wrapping_mul(37); 16])
}

pub(super) fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

pub(super) fn attr(name: &'static str) -> Expr {
    Expr::attr(name)
}

pub(super) fn through(path: &[&'static str], name: &'static str) -> Expr {
    Expr::path_attr(path.iter().copied(), name)
}

pub(super) fn val(v: impl Into<Value>) -> Expr {
    Expr::value(v)
}

pub(super) fn text(v: &str) -> Expr {
    Expr::Value(s(v))
}

pub(super) fn nil() -> Expr {
    Expr::Value(Value::Null)
}

pub(super) fn cmp(op: CmpOp, l: Expr, r: Expr) -> Expr {
    Expr::cmp(op, l, r)
}

pub(super) fn arith(op: ArithOp, l: Expr, r: Expr) -> Expr {
    Expr::Arith(op, Box::new(l), Box::new(r))
}

pub(super) fn exists(path: &[&'static str], e: Expr) -> Expr {
    Expr::Exists {
        path: path.iter().map(|p| Name::from(*p)).collect(),
        expr: Box::new(e),
    }
}

pub(super) fn is_nil(e: Expr) -> Expr {
    Expr::IsNil(Box::new(e))
}

/// The rows of the shared data set, in insertion order. Keys are given, some out
/// of order; tickets 7 and 8 hold the extreme integers.
pub(super) fn data() -> Vec<(&'static Schema, Vec<Row>)> {
    let rep =
        |id: i64, name: &str, threshold: Option<i64>, score: Option<f64>, active: Option<bool>| {
            vec![
                id.into(),
                s(name),
                threshold.into(),
                score.into(),
                active.into(),
            ]
        };
    let reps = vec![
        rep(1, "ann", Some(2), Some(1.5), Some(true)),
        rep(2, "bob", None, None, Some(false)),
        rep(5, "Dé", Some(i64::MAX), Some(1e10), Some(true)),
        rep(3, "ΣΑΣ_%", Some(0), Some(-0.5), None),
        rep(4, "", Some(-3), Some(2.0), Some(false)),
    ];
    #[allow(clippy::type_complexity)]
    let tickets: Vec<(
        i64,
        Option<i64>,
        Option<i64>,
        Option<&str>,
        Option<f64>,
        Option<bool>,
        Option<i64>,
        Option<u8>,
        Option<i16>,
    )> = vec![
        (
            1,
            Some(1),
            Some(1),
            Some("open"),
            Some(0.5),
            Some(true),
            Some(0),
            Some(1),
            Some(1),
        ),
        (
            2,
            Some(1),
            Some(5),
            Some("closed"),
            None,
            Some(false),
            Some(1),
            None,
            None,
        ),
        (
            3,
            Some(2),
            Some(4),
            Some("open"),
            Some(4.0),
            None,
            Some(2),
            Some(2),
            Some(-4),
        ),
        (
            4,
            Some(2),
            Some(2),
            Some("open"),
            Some(-1.5),
            Some(true),
            None,
            Some(1),
            Some(i16::MAX),
        ),
        (
            5,
            Some(2),
            None,
            Some("open"),
            None,
            None,
            Some(3),
            None,
            Some(2),
        ),
        (
            6,
            None,
            Some(9),
            Some("open"),
            Some(9.0),
            Some(false),
            Some(4),
            Some(3),
            Some(i16::MIN),
        ),
        (
            12,
            Some(3),
            Some(-3),
            Some("Open"),
            Some(2.0),
            None,
            Some(5),
            Some(2),
            None,
        ),
        (
            7,
            Some(5),
            Some(i64::MAX),
            Some("open"),
            Some(2.0),
            Some(true),
            Some(6),
            None,
            Some(5),
        ),
        (
            8,
            Some(3),
            Some(i64::MIN),
            None,
            Some(3.0),
            Some(true),
            Some(7),
            Some(4),
            Some(0),
        ),
        (
            10,
            Some(1),
            Some(0),
            Some(""),
            Some(0.0),
            Some(false),
            Some(8),
            Some(1),
            Some(2),
        ),
        (
            9,
            Some(4),
            Some(-7),
            Some("closed"),
            Some(-2.5),
            None,
            None,
            Some(5),
            Some(-1),
        ),
    ];
    let tickets = tickets
        .into_iter()
        .map(|(id, rep, p, status, score, urgent, opened, ext, small)| {
            vec![
                id.into(),
                rep.into(),
                p.into(),
                status.map(str::to_owned).into(),
                score.into(),
                urgent.into(),
                opened.map(at).into(),
                ext.map(uuid).into(),
                small.into(),
            ]
        })
        .collect();
    let tags = ["urgent", "vip", "spam", "VIP", "vip"]
        .iter()
        .enumerate()
        .map(|(i, l)| vec![Value::Int(i as i64 + 1), s(l)])
        .collect();
    // Ticket 1 is linked to tag 2 twice; ticket 99 and tag 77 do not exist.
    let links = [
        (1, 1),
        (1, 2),
        (3, 1),
        (4, 2),
        (2, 3),
        (1, 2),
        (12, 4),
        (99, 1),
        (3, 77),
        (10, 5),
        (10, 3),
    ];
    let links = links
        .iter()
        .enumerate()
        .map(|(i, &(t, g))| vec![Value::Int(i as i64 + 1), Value::Int(t), Value::Int(g)])
        .collect();
    vec![
        (Rep::schema(), reps),
        (Ticket::schema(), tickets),
        (Tag::schema(), tags),
        (TicketTag::schema(), links),
    ]
}

/// A request with `filter`.
pub(super) fn filtered(schema: &'static Schema, filter: Expr) -> ReadRequest {
    let mut request = ReadRequest::new(schema);
    request.filter = Some(filter);
    request
}

/// The answer of a read as ids and, for a partitioned read, each record's key
/// (grouped by key in the order of the partition's keys), or the error's text.
pub(super) type Answer = std::result::Result<(Vec<i64>, Vec<Value>), String>;

pub(super) fn id_of(row: &Row) -> i64 {
    match row.first() {
        Some(Value::Int(i)) => *i,
        _ => -1,
    }
}

/// Groups rows tagged with keys by the partition's keys, keeping their order
/// within a key, as the layers do.
pub(super) fn group(rows: Vec<(Row, Value)>, keys: &[Value]) -> (Vec<i64>, Vec<Value>) {
    let mut ids = Vec::new();
    let mut tags = Vec::new();
    for key in keys {
        for (row, k) in &rows {
            if k == key {
                ids.push(id_of(row));
                tags.push(key.clone());
            }
        }
    }
    (ids, tags)
}

/// The in-memory layer's answer.
pub(super) fn memory_answer(memory: &Memory, request: &ReadRequest) -> Answer {
    let keys = request.partition.as_ref().map(|p| p.keys.clone());
    let result = block_on(memory.read(request.clone())).map_err(|e| e.to_string())?;
    let rows: Vec<Row> = match request.schema.name {
        "Rep" => rows_of::<Rep>(result, keys.as_deref()),
        "Ticket" => rows_of::<Ticket>(result, keys.as_deref()),
        "Tag" => rows_of::<Tag>(result, keys.as_deref()),
        _ => rows_of::<TicketTag>(result, keys.as_deref()),
    };
    match keys {
        None => Ok((rows.iter().map(id_of).collect(), Vec::new())),
        Some(_) => Ok((
            rows.iter().map(id_of).collect(),
            rows.iter()
                .map(|r| r.last().cloned().unwrap_or_default())
                .collect(),
        )),
    }
}

/// Records as rows; for a partitioned read, each row ends with its key.
pub(super) fn rows_of<R: Resource>(
    result: crate::data_layer::ReadResult,
    keys: Option<&[Value]>,
) -> Vec<Row> {
    let row = |r: &R| {
        (0..R::schema().attributes.len())
            .map(|i| r.get(i))
            .collect::<Row>()
    };
    match keys {
        None => result
            .records
            .into_vec::<R>()
            .expect("records")
            .iter()
            .map(row)
            .collect(),
        Some(keys) => {
            let groups = result.into_groups::<R>(keys.len()).expect("groups");
            let mut out = Vec::new();
            for (key, group) in keys.iter().zip(groups) {
                for r in &group {
                    let mut r = row(r);
                    r.push(key.clone());
                    out.push(r);
                }
            }
            out
        }
    }
}

/// The in-memory layer with the shared data set.
pub(super) fn memory() -> Memory {
    let memory = Memory::new();
    for schema in schemas() {
        memory.register(schema).expect("register");
    }
    for (schema, rows) in data() {
        block_on(memory.create(schema, crate::testing::flat(rows))).expect("insert");
    }
    memory
}

/// Checks that statements only use each placeholder they bind, and bind each
/// placeholder they use.
pub(super) fn check_placeholders(statement: &Statement, dialect: Dialect) {
    let sigil = match dialect {
        Dialect::Sqlite => '?',
        Dialect::Postgres => '$',
    };
    let sql = statement
        .sql
        .replace("$$", "")
        .replace("typeof(", "")
        .replace("'integer'", "");
    let mut used = std::collections::BTreeSet::new();
    for (i, c) in sql.char_indices() {
        if c == sigil {
            let digits: String = sql[i + 1..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if let Ok(n) = digits.parse::<usize>() {
                used.insert(n);
            }
        }
    }
    let expected: std::collections::BTreeSet<usize> = (1..=statement.params.len()).collect();
    assert_eq!(used, expected, "placeholders of {}", statement.sql);
    for p in &statement.params {
        match p {
            Param::Value(v) => assert!(!v.is_null(), "a nil parameter in {}", statement.sql),
            // An insert's column arrays hold the nils of their column.
            Param::List(..) if statement.sql.contains("SELECT * FROM UNNEST(") => {}
            Param::List(_, values) => {
                assert!(
                    values.iter().all(|v| !v.is_null()),
                    "a nil in a list in {}",
                    statement.sql
                )
            }
        }
    }
}

/// Key type of a statement's last column.
pub(super) fn key_type(statement: &Statement) -> Option<ValueType> {
    match statement.columns {
        Columns::AttributesAndKey(t) | Columns::AttributesKeyAndSeq(t) => Some(t),
        _ => None,
    }
}
