//! The in-memory data layer (Ash's ETS data layer): the embedded default.
//!
//! Records live as typed values in one `Table` per resource, with an index from
//! primary key to row. A read scans the table once, evaluates the filter (see
//! `eval`), links rows to partition keys through a hash lookup, sorts stably and
//! windows the result (per key for a partitioned read: `window`); only the records returned are cloned.
//!
//! Order of a read's records: by the sort keys; records that tie on every sort key
//! (all of them, without a sort) keep insertion order. A partitioned read returns
//! `Records::Grouped`: one group per key, in the order of `Partition::keys`, each
//! in that order, with offset and limit applied per key. A record linked to
//! several keys (through a join resource) appears in each of their groups. Each
//! record is cloned once, straight into its group, while the table is read front
//! to back.
//!
//! A create is all or nothing: its primary keys must be new and its belongs_to
//! keys must point at a record (stored, or of the same create), as the SQL
//! layers' constraints require (`check_references`).
//!
//! `ReadRequest::visibility` holds wherever the read meets a resource: the
//! records read must satisfy their resource's condition, as must the join
//! records of a many_to_many partition and every record a filter path reaches
//! (see `eval`).

use foldhash::{HashMap, HashSet, HashSetExt};
use std::sync::{Arc, PoisonError, RwLock};

use super::eval::{CHUNK, Filter, KeyIndex, Tables};
use super::*;
use crate::data_layer::store::{Table, pair_group_sizes, push_rows};
use crate::error::{Constraint, Error, ErrorKind};
use crate::resource::{Generated, RelationshipKind};
use crate::sort::{Order, compare_for_sort};
use crate::value::Value;

mod linker;
#[cfg(test)]
pub(crate) mod tests;
mod window;

use linker::Linker;

/// The in-memory data layer.
///
/// Clones share the same store, so a test can keep a handle on a layer it gave to
/// a domain.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// let memory = Memory::new();
/// assert_eq!(memory.name(), "memory");
///
/// let support = Domain::builder()
///     .data_layer(memory.clone())
///     .resource::<Representative>()
///     .resource::<Ticket>()
///     .build()?;
/// support
///     .create(Ticket::changeset().set(Ticket::subject(), "VPN down"))
///     .await?;
/// // The handle kept sees what the domain created.
/// let all = memory
///     .read(ashore::data_layer::ReadRequest::new(Ticket::schema()))
///     .await?;
/// assert_eq!(subjects(&all.records.into_vec::<Ticket>()?), ["VPN down"]);
/// # Ok(()) }
/// ```
#[derive(Clone, Default)]
pub struct Memory {
    tables: Arc<RwLock<HashMap<&'static str, Stored>>>,
}

/// One resource's records and their primary-key index.
struct Stored {
    table: Box<dyn Table>,
    /// Primary-key value → row.
    primary: KeyIndex,
    /// The largest integer primary key stored, for `Generated::Integer`.
    max_int: Option<i64>,
}

impl Tables for HashMap<&'static str, Stored> {
    fn table(&self, schema: &Schema) -> Option<&dyn Table> {
        self.get(schema.name).map(|s| &*s.table)
    }
    fn primary_index(&self, schema: &Schema) -> Option<&KeyIndex> {
        self.get(schema.name).map(|s| &s.primary)
    }
}

impl std::fmt::Debug for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tables = self.tables.read().unwrap_or_else(PoisonError::into_inner);
        let mut m = f.debug_map();
        for (name, stored) in tables.iter() {
            m.entry(name, &stored.table.len());
        }
        m.finish()
    }
}

impl Memory {
    /// An empty store.
    pub fn new() -> Self {
        Memory::default()
    }

    /// How many records `request` would read, none of them cloned.
    fn count_now(&self, request: &ReadRequest) -> Result<usize> {
        let schema = request.schema;
        if request.partition.is_some() {
            return Err(invalid(
                schema,
                "a partitioned read cannot be counted".to_owned(),
            ));
        }
        let tables = self.tables.read().unwrap_or_else(PoisonError::into_inner);
        let table = tables.table(schema).ok_or_else(|| not_registered(schema))?;
        let filter = Filter::compile(
            schema,
            request.filter.as_ref(),
            &request.visibility,
            &*tables,
        )?;
        let mut matches = table.len();
        if filter.is_some() {
            matches = 0;
            scan(
                table.len(),
                CHUNK,
                filter.as_ref(),
                |_| Some(()),
                |_, ()| {
                    matches += 1;
                    true
                },
            );
        }
        let after_offset = matches.saturating_sub(request.offset);
        Ok(request.limit.map_or(after_offset, |l| after_offset.min(l)))
    }

    fn read_now(&self, request: ReadRequest) -> Result<ReadResult> {
        let tables = self.tables.read().unwrap_or_else(PoisonError::into_inner);
        let schema = request.schema;
        let table = tables.table(schema).ok_or_else(|| not_registered(schema))?;
        let sort = request
            .sort
            .iter()
            .map(|s| match schema.attribute_index(&s.field) {
                Some(i) => Ok((i, s.order)),
                None => Err(invalid(
                    schema,
                    format!("no attribute named `{}` to sort by", s.field),
                )),
            })
            .collect::<Result<Vec<(usize, Order)>>>()?;
        let filter = Filter::compile(
            schema,
            request.filter.as_ref(),
            &request.visibility,
            &*tables,
        )?;
        let filter = filter.as_ref();

        if let (Some(partition), true) = (&request.partition, sort.is_empty()) {
            // Unsorted partitioned read (every plain relationship load): one pass
            // linking rows to their groups, windows counted on the way, then
            // each record cloned once, straight into its group.
            let linker = Linker::new(schema, partition, &request.visibility, &tables)?;
            let limit = request.limit.unwrap_or(usize::MAX);
            let offset = request.offset;
            let groups = partition.keys.len();
            let mut seen = vec![0_usize; groups];
            let mut rows = Vec::new();
            let keys_of = |row| linker.keys_of(&table.get(row, linker.attr));
            scan(table.len(), CHUNK, filter, keys_of, |row, keys| {
                for &key in keys {
                    let n = seen[key];
                    seen[key] += 1;
                    if n >= offset && n - offset < limit {
                        rows.push((row, key));
                    }
                }
                true
            });
            let sizes = pair_group_sizes(&rows, groups);
            let grouped = table.select_grouped(&rows, &sizes);
            return Ok(ReadResult::new(Records::Grouped(grouped)));
        }

        if let (None, true) = (&request.partition, sort.is_empty()) {
            // Unsorted, not partitioned (a manual loader's read): the first
            // `offset + limit` matches are the answer, their rows collected
            // into a vector sized once for the most it can hold (a word per
            // stored row at worst, never grown and copied).
            let enough = request
                .limit
                .map_or(usize::MAX, |l| request.offset.saturating_add(l));
            let mut rows = Vec::with_capacity(enough.min(table.len()));
            if enough > 0 {
                // Small batches first when few matches are wanted.
                scan(table.len(), enough, filter, Some, |row, _| {
                    rows.push(row);
                    rows.len() < enough
                });
            }
            let rows = rows.get(request.offset..).unwrap_or_default();
            return Ok(ReadResult::new(Records::Typed(table.select(rows))));
        }

        let mut hits: Vec<Hit> = Vec::new();
        match &request.partition {
            // Sorted: every match.
            None => scan(table.len(), CHUNK, filter, Some, |row, _| {
                hits.push(Hit { row, key: 0 });
                true
            }),
            Some(partition) => {
                let linker = Linker::new(schema, partition, &request.visibility, &tables)?;
                let keys_of = |row| linker.keys_of(&table.get(row, linker.attr));
                scan(table.len(), CHUNK, filter, keys_of, |row, keys| {
                    hits.extend(keys.iter().map(|&key| Hit { row, key }));
                    true
                });
            }
        }

        let records = match &request.partition {
            None => {
                let hits = sorted(hits, table, &sort);
                let rows = hits
                    .iter()
                    .skip(request.offset)
                    .take(request.limit.unwrap_or(usize::MAX))
                    .map(|h| h.row)
                    .collect::<Vec<_>>();
                Records::Typed(table.select(&rows))
            }
            Some(partition) => {
                let keys = partition.keys.len();
                let rows =
                    window::windows(&hits, keys, table, &sort, request.offset, request.limit);
                Records::Grouped(table.select_grouped(&rows, &pair_group_sizes(&rows, keys)))
            }
        };
        Ok(ReadResult::new(records))
    }

    fn create_now(&self, schema: &'static Schema, mut rows: Vec<Row>) -> Result<Records> {
        let mut tables = self.tables.write().unwrap_or_else(PoisonError::into_inner);
        let stored = tables
            .get(schema.name)
            .ok_or_else(|| not_registered(schema))?;
        let pk = schema.primary_key;
        for row in &rows {
            schema.check_row(row)?;
        }

        // Assign keys: integers continue after the largest key, stored or given.
        let mut max_int = stored.max_int;
        for row in &rows {
            if let Value::Int(i) = row[pk] {
                max_int = Some(max_int.map_or(i, |m| m.max(i)));
            }
        }
        for row in &mut rows {
            if !row[pk].is_null() {
                continue;
            }
            match schema.primary_key().generated {
                Some(Generated::Integer) => {
                    let next = max_int.map_or(Some(1), |m| m.checked_add(1));
                    let next = next.ok_or_else(|| {
                        Error::data_layer(format!(
                            "integer primary keys of {} ran out",
                            schema.name
                        ))
                    })?;
                    row[pk] = Value::Int(next);
                    max_int = Some(next);
                }
                Some(Generated::Uuid) => row[pk] = Value::Uuid(uuid::Uuid::new_v4()),
                None => {}
            }
        }

        // All or nothing: check every key and reference before inserting any row.
        check_references(&tables, schema, &rows)?;
        let stored = tables
            .get_mut(schema.name)
            .ok_or_else(|| not_registered(schema))?;
        let keys: Vec<Value> = rows.iter().map(|r| r[pk].clone()).collect();
        let mut batch = HashSet::with_capacity(keys.len());
        for key in keys.iter().filter(|k| !k.is_null()) {
            if stored.primary.contains_key(key) || !batch.insert(key) {
                // The same error a database's primary-key constraint gives.
                return Err(Error::new(ErrorKind::Constraint {
                    resource: schema.name,
                    attribute: Some(schema.primary_key().name),
                    constraint: Constraint::Unique,
                    source: format!("a {} with primary key {key} already exists", schema.name)
                        .into(),
                }));
            }
        }

        let start = stored.table.len();
        let records = push_rows(&mut *stored.table, schema, rows)?;
        for (i, key) in keys.into_iter().enumerate() {
            if !key.is_null() {
                stored.primary.insert(key, start + i);
            }
        }
        stored.max_int = max_int;
        Ok(Records::Typed(records))
    }
}

/// Checks the belongs_to keys of `rows` as the SQL layers' foreign keys do:
/// for each belongs_to (not manual) whose destination is stored here and whose
/// destination attribute is the destination's primary key, a key that is set
/// must be a stored record's, or a row's of the same create (SQL checks a
/// create's references when all its rows are written). Otherwise it is the
/// same `Constraint` the SQL layers give.
fn check_references(
    tables: &HashMap<&'static str, Stored>,
    schema: &'static Schema,
    rows: &[Row],
) -> Result<()> {
    for rel in schema.relationships.iter() {
        if rel.manual || rel.kind != RelationshipKind::BelongsTo {
            continue;
        }
        let dest = (rel.destination)();
        let (Some(source), Some(stored)) = (
            schema.attribute_index(rel.source_attribute),
            tables.get(dest.name),
        ) else {
            continue;
        };
        if dest.primary_key().name != rel.destination_attribute() {
            continue;
        }
        // The keys this create adds, when it adds records of the destination.
        let batch: HashSet<&Value> = if dest.name == schema.name {
            rows.iter().map(|r| &r[schema.primary_key]).collect()
        } else {
            HashSet::new()
        };
        for row in rows {
            let key = &row[source];
            if key.is_null() || stored.primary.contains_key(key) || batch.contains(key) {
                continue;
            }
            return Err(Error::new(ErrorKind::Constraint {
                resource: schema.name,
                attribute: Some(rel.source_attribute),
                constraint: Constraint::ForeignKey,
                source: format!(
                    "`{}` is {key}, which is the key of no {}",
                    rel.source_attribute, dest.name
                )
                .into(),
            }));
        }
    }
    Ok(())
}

impl DataLayer for Memory {
    fn name(&self) -> &'static str {
        "memory"
    }

    fn register(&self, schema: &'static Schema) -> Result<()> {
        let mut tables = self.tables.write().unwrap_or_else(PoisonError::into_inner);
        tables.entry(schema.name).or_insert_with(|| Stored {
            table: (schema.new_table)(),
            primary: KeyIndex::new(schema.primary_key().value_type),
            max_int: None,
        });
        Ok(())
    }

    fn read<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<ReadResult>> {
        Box::pin(async move { self.read_now(request) })
    }

    fn count<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<usize>> {
        Box::pin(async move { self.count_now(&request) })
    }

    fn create<'a>(
        &'a self,
        schema: &'static Schema,
        rows: Vec<Row>,
    ) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move { self.create_now(schema, rows) })
    }
}

/// A row kept by a read, with the position of its partition key (0 without one).
#[derive(Clone, Copy)]
struct Hit {
    row: usize,
    key: usize,
}

/// Sorts hits stably by the sort keys, reading each sort value once.
fn sorted(hits: Vec<Hit>, table: &dyn Table, sort: &[(usize, Order)]) -> Vec<Hit> {
    let width = sort.len();
    let values: Vec<Value> = hits
        .iter()
        .flat_map(|h| sort.iter().map(move |&(attr, _)| table.get(h.row, attr)))
        .collect();
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_by(|&a, &b| {
        let (va, vb) = (&values[a * width..][..width], &values[b * width..][..width]);
        sort.iter()
            .zip(va.iter().zip(vb))
            .map(|(&(_, o), (x, y))| compare_for_sort(x, y, o))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    order.into_iter().map(|i| hits[i]).collect()
}

fn not_registered(schema: &'static Schema) -> Error {
    Error::new(ErrorKind::NotRegistered {
        resource: schema.name,
    })
}

fn invalid(schema: &'static Schema, message: String) -> Error {
    Error::new(ErrorKind::InvalidQuery {
        resource: schema.name,
        message,
    })
}

/// Calls `each` on every row of a table of `len` rows that `candidate`
/// accepts (with what it gave) and `filter` passes, in order, until `each`
/// returns false. The filter is evaluated on a batch of candidates at a time
/// (`Filter::matching`): the first of `first` rows (at least one), each next
/// one twice as many, up to `CHUNK`, so a read wanting few matches evaluates
/// few rows past them. Without a filter, row by row.
fn scan<T: Copy>(
    len: usize,
    first: usize,
    filter: Option<&Filter<'_>>,
    mut candidate: impl FnMut(usize) -> Option<T>,
    mut each: impl FnMut(usize, T) -> bool,
) {
    let Some(filter) = filter else {
        for row in 0..len {
            if let Some(t) = candidate(row)
                && !each(row, t)
            {
                return;
            }
        }
        return;
    };
    let mut size = first.clamp(1, CHUNK);
    let mut start = 0;
    let mut rows = Vec::with_capacity(size);
    let mut found = Vec::with_capacity(size);
    let mut kept = Vec::with_capacity(size);
    while start < len {
        let end = start.saturating_add(size).min(len);
        rows.clear();
        found.clear();
        kept.clear();
        for row in start..end {
            if let Some(t) = candidate(row) {
                rows.push(row);
                found.push(t);
            }
        }
        filter.matching(&rows, &mut kept);
        for &i in &kept {
            if !each(rows[i], found[i]) {
                return;
            }
        }
        start = end;
        size = (size * 2).min(CHUNK);
    }
}
