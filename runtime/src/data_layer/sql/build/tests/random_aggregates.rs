//! Random aggregates against memory (run by the `sqlite` and `postgres`
//! tests): aggregates of all eight kinds over random paths (has_many,
//! belongs_to, has_one, many_to_many, relationships with filters of their
//! own, up to three hops, now and then a manual or missing one), now and then
//! with a random filter of their own (which may hold aggregates), loaded by
//! `DataLayer::aggregate` or `DataLayer::aggregate_list` for the records of a
//! random read (filter and visibility), and as sort keys. The database's
//! answer must be memory's: the same values (floats within rounding), the
//! same rows of a list in the same order, the same error when the builder
//! refuses; a statement the database fails is only allowed where memory fails
//! too, with an integer sum past `i64`.

use super::differential::{Db, same};
use super::generate::{Gen, Rng};
use super::*;
use crate::data_layer::sql::build::{aggregate, aggregate_list};
use crate::expr::{Aggregate, AggregateKind};

const KINDS: [AggregateKind; 8] = [
    AggregateKind::Count,
    AggregateKind::Exists,
    AggregateKind::Sum,
    AggregateKind::Min,
    AggregateKind::Max,
    AggregateKind::Avg,
    AggregateKind::First,
    AggregateKind::List,
];

impl Gen {
    /// An aggregate of `schema` of `kind` over a path of one to three
    /// relationships (now and then none, a manual or a missing one), reading a
    /// field its kind takes (now and then one it does not, or none), now and
    /// then with a filter of depth `depth`.
    pub(super) fn any_aggregate(
        &mut self,
        schema: &'static Schema,
        kind: AggregateKind,
        depth: usize,
    ) -> Aggregate {
        let (mut path, mut at) = self.path(schema, 3);
        if path.is_empty() && !self.rng.chance(3) {
            let rel = self.rng.pick(schema.relationships);
            if !rel.manual {
                path.push(Name::Borrowed(rel.name));
                at = (rel.destination)();
            }
        }
        let numeric = |t: ValueType| {
            matches!(
                t,
                ValueType::I16 | ValueType::I32 | ValueType::I64 | ValueType::F64
            )
        };
        let takes = |a: &&AttributeInfo| match kind {
            AggregateKind::Count | AggregateKind::Exists => false,
            AggregateKind::Sum | AggregateKind::Avg => numeric(a.value_type),
            AggregateKind::Min | AggregateKind::Max => {
                !matches!(a.value_type, ValueType::Bool | ValueType::Uuid)
            }
            AggregateKind::First | AggregateKind::List => true,
        };
        let fields: Vec<&AttributeInfo> = at.attributes.iter().filter(takes).collect();
        let mut aggregate = Aggregate::new(kind, path);
        if kind.reads_field() {
            if self.rng.chance(2) {
                // `sum` of text, `max` of a UUID, ...: refused alike.
                aggregate.field = Some(Name::Borrowed(self.rng.pick(at.attributes).name));
            } else if !fields.is_empty() && !self.rng.chance(1) {
                aggregate.field = Some(Name::Borrowed(self.rng.pick(&fields).name));
            }
        } else if self.rng.chance(1) {
            aggregate.field = Some(Name::Borrowed(self.rng.pick(at.attributes).name));
        }
        if depth > 0 && self.rng.chance(40) {
            aggregate.filter = Some(self.cond(at, depth - 1));
        }
        aggregate
    }
}

/// Values equal, floats within rounding (a sum or mean in another order).
pub(super) fn same_value(got: &Value, expected: &Value) -> bool {
    match (got, expected) {
        (Value::Float(a), Value::Float(b)) => (a - b).abs() <= 1e-9 * b.abs().max(1.0),
        _ => got == expected,
    }
}

/// What came of one load.
#[derive(Default)]
struct Tally {
    /// Loads both sides answered with values.
    answered: usize,
    /// Of those, loads where some aggregate was neither 0, false nor nil.
    telling: usize,
    /// Kinds answered with such a value.
    kinds: Vec<AggregateKind>,
    /// Sorts on aggregates answered with records.
    sorted: usize,
}

/// Random loads and sorts of aggregates on `db`, each against memory.
pub(super) fn random(db: &mut impl Db, memory: &Memory, seed: u64, count: usize) {
    let mut generator = Gen {
        rng: Rng::new(seed),
    };
    let resources = [Ticket::schema(), Rep::schema(), Tag::schema()];
    let mut tally = Tally::default();
    for _ in 0..count {
        let schema = resources[generator.rng.below(resources.len())];
        let mut request = ReadRequest::new(schema);
        if generator.rng.chance(50) {
            request.filter = Some(generator.cond(schema, 2));
        }
        if generator.rng.chance(40) {
            request.visibility = generator.visibility();
        }
        match generator.rng.below(10) {
            0..=5 => {
                let n = generator.rng.below(3) + 1;
                let aggregates: Vec<Aggregate> = (0..n)
                    .map(|_| {
                        let kind = *generator.rng.pick(&KINDS[..7]);
                        generator.any_aggregate(schema, kind, 2)
                    })
                    .collect();
                loaded(db, memory, &request, &aggregates, &mut tally);
            }
            6 | 7 => {
                let list = generator.any_aggregate(schema, AggregateKind::List, 2);
                listed(db, memory, &request, &list, &mut tally);
            }
            _ => {
                let kind = *generator.rng.pick(&KINDS[..7]);
                // Integer sums past `i64` among them: nil on every layer.
                let key = generator.any_aggregate(schema, kind, 1);
                let order = *generator.rng.pick(&[
                    Order::Asc,
                    Order::Desc,
                    Order::AscNilsFirst,
                    Order::DescNilsLast,
                ]);
                request.sort = vec![Sort::aggregate("key", key, order)];
                if generator.rng.chance(40) {
                    let a = generator.rng.pick(schema.attributes);
                    request.sort.push(Sort::new(a.name, Order::Desc));
                }
                if generator.rng.chance(40) {
                    request.offset = generator.rng.below(3);
                    request.limit = Some(generator.rng.below(4));
                }
                if let Ok((ids, _)) = same(db, memory, &request) {
                    tally.sorted += usize::from(ids.len() > 1);
                }
            }
        }
    }
    // Not vacuous: most loads answered, many with values that tell, every
    // kind among them, and sorts that order several records.
    assert!(
        tally.answered > count * 6 / 10 * 6 / 10,
        "{} of {count} loads answered",
        tally.answered
    );
    assert!(
        tally.telling > tally.answered / 3,
        "{} of {} loads told something",
        tally.telling,
        tally.answered
    );
    for kind in KINDS {
        assert!(tally.kinds.contains(&kind), "no telling {kind:?}");
    }
    assert!(
        tally.sorted > count / 20,
        "{} of {count} sorts ordered records",
        tally.sorted
    );
}

/// The error's text, as the differential tests compare errors.
fn message(error: &crate::error::Error) -> String {
    error.to_string()
}

/// `aggregates` loaded for the records `request` selects: the database's
/// values are memory's.
fn loaded(
    db: &mut impl Db,
    memory: &Memory,
    request: &ReadRequest,
    aggregates: &[Aggregate],
    tally: &mut Tally,
) {
    let expected = block_on(memory.aggregate(request.clone(), aggregates.to_vec()));
    let statement = match aggregate(db.dialect(), request, aggregates) {
        Ok(statement) => statement,
        Err(e) => {
            let memory = expected.map_err(|e| message(&e));
            assert_eq!(Err(message(&e)), memory.map(|_| ()), "{aggregates:?}");
            return;
        }
    };
    check_placeholders(&statement, db.dialect());
    let got = db.query(&statement, request.schema);
    let (got, expected) = match (got, expected) {
        (Ok(got), Ok(expected)) => (got, expected),
        // Only a sum past `i64` fails on both sides.
        (Err(_), Err(e)) if message(&e).contains("overflows i64") => return,
        (got, expected) => panic!(
            "{:?}: {aggregates:?}\ndatabase: {got:?}\nmemory:   {expected:?}\nsql: {}\nrequest: {request:?}",
            db.dialect(),
            statement.sql
        ),
    };
    let ok = got.len() == expected.len()
        && got
            .iter()
            .zip(&expected)
            .all(|(g, e)| g.len() == e.len() && g.iter().zip(e).all(|(g, e)| same_value(g, e)));
    assert!(
        ok,
        "{:?}: {aggregates:?}\ndatabase: {got:?}\nmemory:   {expected:?}\nsql: {}\nrequest: {request:?}",
        db.dialect(),
        statement.sql
    );
    tally.answered += 1;
    let mut telling = false;
    for row in &expected {
        for (value, a) in row.iter().skip(1).zip(aggregates) {
            if !matches!(value, Value::Null | Value::Int(0) | Value::Bool(false)) {
                telling = true;
                if !tally.kinds.contains(&a.kind) {
                    tally.kinds.push(a.kind);
                }
            }
        }
    }
    tally.telling += usize::from(telling);
}

/// A `list` aggregate loaded for the records `request` selects: the
/// database's rows are memory's, in memory's order.
fn listed(
    db: &mut impl Db,
    memory: &Memory,
    request: &ReadRequest,
    list: &Aggregate,
    tally: &mut Tally,
) {
    let expected = block_on(memory.aggregate_list(request.clone(), list.clone()));
    let statement = match aggregate_list(db.dialect(), request, list) {
        Ok(statement) => statement,
        Err(e) => {
            let memory = expected.map_err(|e| message(&e));
            assert_eq!(Err(message(&e)), memory.map(|_| ()), "{list:?}");
            return;
        }
    };
    check_placeholders(&statement, db.dialect());
    let expected: Vec<Row> = expected
        .unwrap_or_else(|e| panic!("memory: {e} ({list:?}); sql: {}", statement.sql))
        .into_iter()
        .map(|(k, v)| vec![k, v])
        .collect();
    let got = db
        .query(&statement, request.schema)
        .unwrap_or_else(|e| panic!("{e}: {}", statement.sql));
    assert_eq!(
        got,
        expected,
        "{:?}: {list:?}\nsql: {}\nrequest: {request:?}",
        db.dialect(),
        statement.sql
    );
    tally.answered += 1;
    if !expected.is_empty() {
        tally.telling += 1;
        if !tally.kinds.contains(&AggregateKind::List) {
            tally.kinds.push(AggregateKind::List);
        }
    }
}
