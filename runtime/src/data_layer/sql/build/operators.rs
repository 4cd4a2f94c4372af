//! The operators of a filter as typed SQL: constants, comparisons, `in`,
//! arithmetic, each giving the in-memory evaluator's value (`data_layer::eval`)
//! on either dialect.
//!
//! - Types are known statically (attributes from the schema, constants from their
//!   variant), so what memory leaves nil because the operands do not compare
//!   (`p == "3"`, `status + 1`) is written as `NULL`, and an integer compared with
//!   a float is cast to a float first (`(a as f64)` in memory).
//! - Integer arithmetic is nil on overflow, as in memory. SQLite turns an
//!   overflowing integer result into a REAL and the REAL propagates, so each
//!   integer arithmetic tree is checked once where it is used
//!   (`CASE WHEN typeof(x) = 'integer' THEN x END`, [`seal`]). PostgreSQL
//!   computes in `numeric` (exact; `div` truncates like Rust) and turns each
//!   result outside the `bigint` range into `NULL` without repeating the
//!   expression.
//! - Float arithmetic that gives NaN (`inf - inf`, `inf * 0`) is nil: SQLite
//!   gives `NULL`, PostgreSQL's NaN is removed with `NULLIF`. A float result
//!   past `f64` (or a product or quotient of non-zero numbers that underflows
//!   to zero) stays what the database makes of it: an error on PostgreSQL,
//!   infinity (or zero) in memory and on SQLite.
//! - An operator whose operands cannot give anything but nil is `NULL`, and the
//!   parameters its operands added are dropped (`mark`: [`Params::mark`]).

use super::super::Dialect;
use super::special;
use super::text::{Mark, Params, boolean};
use crate::expr::{ArithOp, CmpOp};
use crate::value::{Value, ValueType};

/// The static type of a SQL expression, as the evaluator would see its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// Always nil.
    Null,
    Bool,
    Int,
    Float,
    Text,
    Uuid,
    DateTime,
    Date,
    Bytes,
    /// Decimals: on SQLite, text compared through the `ashore_decimal`
    /// collation (as numbers).
    #[cfg(feature = "decimal")]
    Decimal,
    /// JSON documents: equality only; on SQLite, text compared through
    /// `ashore_json_key` (canonical text).
    #[cfg(feature = "json")]
    Json,
}

impl Kind {
    /// The kind of a constant.
    pub(super) fn of_value(v: &Value) -> Kind {
        match v {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Bool,
            Value::Int(_) => Kind::Int,
            Value::Float(_) => Kind::Float,
            Value::String(_) => Kind::Text,
            Value::Uuid(_) => Kind::Uuid,
            Value::DateTime(_) => Kind::DateTime,
            Value::Date(_) => Kind::Date,
            Value::Bytes(_) => Kind::Bytes,
            #[cfg(feature = "decimal")]
            Value::Decimal(_) => Kind::Decimal,
            #[cfg(feature = "json")]
            Value::Json(_) => Kind::Json,
        }
    }

    /// The kind of an attribute's values.
    pub(super) fn of_type(t: ValueType) -> Kind {
        match t {
            ValueType::Bool => Kind::Bool,
            ValueType::I16 | ValueType::I32 | ValueType::I64 => Kind::Int,
            ValueType::F64 => Kind::Float,
            ValueType::String => Kind::Text,
            ValueType::Uuid => Kind::Uuid,
            ValueType::DateTime => Kind::DateTime,
            ValueType::Date => Kind::Date,
            ValueType::Bytes => Kind::Bytes,
            #[cfg(feature = "decimal")]
            ValueType::Decimal => Kind::Decimal,
            #[cfg(feature = "json")]
            ValueType::Json => Kind::Json,
        }
    }

    /// Whether values of this kind have an order (all but JSON documents).
    fn is_ordered(self) -> bool {
        #[cfg(feature = "json")]
        if self == Kind::Json {
            return false;
        }
        true
    }

    fn is_number(self) -> bool {
        matches!(self, Kind::Int | Kind::Float)
    }

    /// Whether `Value::compare` orders values of these kinds.
    fn compares_with(self, other: Kind) -> bool {
        self != Kind::Null && (self == other || (self.is_number() && other.is_number()))
    }
}

/// A compiled expression.
pub(super) struct Frag {
    pub(super) sql: String,
    pub(super) kind: Kind,
    /// The result of integer arithmetic: on SQLite it may be a REAL that stands
    /// for an overflow (see [`seal`]); on PostgreSQL it is `numeric`.
    pub(super) int_arith: bool,
}

impl Frag {
    /// An expression that is not integer arithmetic.
    pub(super) fn new(sql: String, kind: Kind) -> Frag {
        Frag {
            sql,
            kind,
            int_arith: false,
        }
    }

    /// `NULL`.
    pub(super) fn null() -> Frag {
        Frag::new("NULL".to_owned(), Kind::Null)
    }
}

/// A constant: `NULL`, a boolean literal, or a new parameter.
pub(super) fn constant(params: &mut Params, v: &Value) -> Frag {
    match v {
        Value::Null => Frag::null(),
        Value::Bool(b) => Frag::new(boolean(params.dialect, *b).to_owned(), Kind::Bool),
        v => Frag::new(params.value(v.clone()), Kind::of_value(v)),
    }
}

/// A value ready to be used by anything but integer arithmetic: on SQLite, an
/// integer arithmetic result that overflowed (and so became a REAL) is nil.
pub(super) fn seal(dialect: Dialect, frag: Frag) -> String {
    if frag.int_arith && dialect == Dialect::Sqlite {
        let x = frag.sql;
        format!("(CASE WHEN typeof({x}) = 'integer' THEN {x} END)")
    } else {
        frag.sql
    }
}

/// A number as a float (`a as f64`).
fn float(dialect: Dialect, frag: Frag) -> String {
    if frag.kind != Kind::Int {
        return seal(dialect, frag);
    }
    let x = seal(dialect, frag);
    match dialect {
        Dialect::Sqlite => format!("CAST({x} AS REAL)"),
        Dialect::Postgres => format!("({x})::float8"),
    }
}

/// `l op r`: nil when the operands do not compare (and their parameters,
/// added after `mark`, dropped); an integer and a float compare as floats, text
/// in byte order, decimals as numbers, JSON documents by equality only (an
/// ordered comparison of them is nil).
pub(super) fn cmp(params: &mut Params, op: CmpOp, l: Frag, r: Frag, mark: Mark) -> Frag {
    let ordered = !matches!(op, CmpOp::Eq | CmpOp::Ne);
    if !l.kind.compares_with(r.kind) || (ordered && !l.kind.is_ordered()) {
        params.truncate(mark);
        return Frag::null();
    }
    let op = match op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "<>",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    };
    if let Some(sql) = special::cmp(params.dialect, op, &l, &r) {
        return Frag::new(sql, Kind::Bool);
    }
    let text = l.kind == Kind::Text;
    let (l, r) = if l.kind != r.kind {
        (float(params.dialect, l), float(params.dialect, r))
    } else {
        (seal(params.dialect, l), seal(params.dialect, r))
    };
    let collate = if text && params.dialect == Dialect::Postgres {
        " COLLATE \"C\""
    } else {
        ""
    };
    Frag::new(format!("({l}{collate} {op} {r})"), Kind::Bool)
}

/// `x in list`: nil when `x` is nil; true when an element equals `x`; else nil
/// when the list holds a nil; else false. Elements that cannot equal `x` (of
/// another type) are left out; the others are bound as one array per type.
pub(super) fn is_in(params: &mut Params, x: Frag, list: &[Value], mark: Mark) -> Frag {
    let has_nil = list.iter().any(Value::is_null);
    let of = |kind: Kind| -> Vec<Value> {
        list.iter()
            .filter(|v| Kind::of_value(v) == kind)
            .cloned()
            .collect()
    };
    // (value type of the array, its elements, whether x is cast to a float)
    let arrays: Vec<(ValueType, Vec<Value>, bool)> = match x.kind {
        Kind::Null => {
            params.truncate(mark);
            return Frag::null();
        }
        Kind::Int => vec![
            (ValueType::I64, of(Kind::Int), false),
            (ValueType::F64, of(Kind::Float), true),
        ],
        Kind::Float => {
            let floats = list
                .iter()
                .filter_map(|v| match v {
                    Value::Int(i) => Some(Value::Float(*i as f64)),
                    Value::Float(f) => Some(Value::Float(*f)),
                    _ => None,
                })
                .collect();
            vec![(ValueType::F64, floats, false)]
        }
        Kind::Bool => vec![(ValueType::Bool, of(Kind::Bool), false)],
        Kind::Text => vec![(ValueType::String, of(Kind::Text), false)],
        Kind::Uuid => vec![(ValueType::Uuid, of(Kind::Uuid), false)],
        Kind::DateTime => vec![(ValueType::DateTime, of(Kind::DateTime), false)],
        Kind::Date => vec![(ValueType::Date, of(Kind::Date), false)],
        Kind::Bytes => vec![(ValueType::Bytes, of(Kind::Bytes), false)],
        #[cfg(feature = "decimal")]
        Kind::Decimal => vec![(ValueType::Decimal, of(Kind::Decimal), false)],
        #[cfg(feature = "json")]
        Kind::Json => vec![(ValueType::Json, of(Kind::Json), false)],
    };
    let arrays: Vec<_> = arrays.into_iter().filter(|a| !a.1.is_empty()).collect();
    if arrays.is_empty() {
        if has_nil {
            params.truncate(mark);
            return Frag::null();
        }
        let x = seal(params.dialect, x);
        let no = boolean(params.dialect, false);
        return Frag::new(
            format!("(CASE WHEN {x} IS NULL THEN NULL ELSE {no} END)"),
            Kind::Bool,
        );
    }
    let is_float = x.kind == Kind::Float;
    let x_kind = x.kind;
    let plain = seal(params.dialect, x);
    // `x` as a float, made only when an array of floats needs it.
    let as_float = arrays.iter().any(|a| a.2).then(|| {
        if is_float {
            plain.clone()
        } else {
            float(params.dialect, Frag::new(plain.clone(), Kind::Int))
        }
    });
    let mut found = String::from("(");
    for (i, (value_type, values, cast)) in arrays.into_iter().enumerate() {
        let x = match (&as_float, cast) {
            (Some(as_float), true) => as_float,
            _ => &plain,
        };
        let array = params.list(value_type, values);
        if i > 0 {
            found.push_str(" OR ");
        }
        match special::is_in(params.dialect, x_kind, x, &array) {
            Some(test) => found.push_str(&test),
            None => {
                found.push_str(x);
                match params.dialect {
                    Dialect::Sqlite => found.push_str(" IN rarray("),
                    Dialect::Postgres => found.push_str(" = ANY("),
                }
                found.push_str(&array);
                found.push(')');
            }
        }
    }
    found.push(')');
    if has_nil {
        let no = boolean(params.dialect, false);
        Frag::new(format!("NULLIF({found}, {no})"), Kind::Bool)
    } else {
        Frag::new(found, Kind::Bool)
    }
}

/// `l op r`: nil unless both are numbers; a float operand makes a float;
/// division by zero is nil; integers stay exact, nil on overflow.
pub(super) fn arith(params: &mut Params, op: ArithOp, l: Frag, r: Frag, mark: Mark) -> Frag {
    if !(l.kind.is_number() && r.kind.is_number()) {
        params.truncate(mark);
        return Frag::null();
    }
    let sign = match op {
        ArithOp::Add => "+",
        ArithOp::Sub => "-",
        ArithOp::Mul => "*",
        ArithOp::Div => "/",
    };
    if l.kind == Kind::Float || r.kind == Kind::Float {
        let (l, r) = (float(params.dialect, l), float(params.dialect, r));
        let sql = match op {
            ArithOp::Div => format!("({l} / NULLIF({r}, 0))"),
            _ => format!("({l} {sign} {r})"),
        };
        // A NaN (`inf - inf`) is nil, as SQLite gives it and memory computes
        // it; PostgreSQL finds NaN equal to itself, so NULLIF removes it.
        let sql = match params.dialect {
            Dialect::Sqlite => sql,
            Dialect::Postgres => format!("NULLIF({sql}, 'NaN'::float8)"),
        };
        return Frag::new(sql, Kind::Float);
    }
    let sql = match params.dialect {
        // Overflow becomes a REAL, caught by `seal` where the tree is used.
        Dialect::Sqlite => match op {
            ArithOp::Div => format!("({} / NULLIF({}, 0))", l.sql, r.sql),
            _ => format!("({} {sign} {})", l.sql, r.sql),
        },
        Dialect::Postgres => {
            let numeric = |f: Frag| {
                if f.int_arith {
                    f.sql
                } else {
                    format!("({})::numeric", f.sql)
                }
            };
            let (l, r) = (numeric(l), numeric(r));
            let exact = match op {
                ArithOp::Div => format!("div({l}, NULLIF({r}, 0))"),
                _ => format!("({l} {sign} {r})"),
            };
            // NULL outside the bigint range; a NULL stays NULL (GREATEST and
            // LEAST skip it, giving the upper bound, which NULLIF removes).
            format!(
                "NULLIF(NULLIF(GREATEST(LEAST({exact}, {above}), {below}), {above}), {below})",
                above = "9223372036854775808",
                below = "-9223372036854775809"
            )
        }
    };
    Frag {
        sql,
        kind: Kind::Int,
        int_arith: true,
    }
}
