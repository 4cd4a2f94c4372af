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
//! Writes are serialized, and a transaction works on a copy of the store that
//! replaces it on commit, each table shared until first written
//! (`transaction`).
//!
//! A create is all or nothing: its primary keys must be new and its belongs_to
//! keys must point at a record (stored, or of the same create), as the SQL
//! layers' constraints require (`check_references`), and its identities must
//! hold (`identities`). An upsert (`upsert`) updates in place the records its
//! rows find by identity and appends the others.
//!
//! `ReadRequest::visibility` holds wherever the read meets a resource: the
//! records read must satisfy their resource's condition, as must the join
//! records of a many_to_many partition and every record a filter path reaches
//! (see `eval`).

use foldhash::{HashMap, HashSet, HashSetExt};
use std::sync::{Arc, PoisonError, RwLock};

use self::keys::{assign_keys, check_primary_keys};
use super::eval::{CHUNK, Filter, KeyIndex, Tables};
use super::*;
use crate::data_layer::store::{Table, pair_group_sizes, push_rows};
use crate::error::{Constraint, Error, ErrorKind};
use crate::resource::RelationshipKind;
use crate::value::Value;

mod aggregate;
pub(crate) mod identities;
mod keys;
mod linker;
mod select;
#[cfg(test)]
pub(crate) mod tests;
pub(crate) mod transaction;
mod upsert;
mod window;
mod writes;

use self::select::{Hit, scan, selected, selected_records, sort_keys};

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
    tables: Arc<RwLock<Store>>,
    /// Taken by every write and held by a transaction from begin to end, so
    /// writes wait for a transaction to end (see `transaction`).
    writer: Arc<futures_util::lock::Mutex<()>>,
}

/// Every registered resource's records, by name. A table is shared (an
/// `Arc`) between the store and the copies transactions work on, and cloned
/// only when one of them first writes it ([`stored_mut`]).
type Store = HashMap<&'static str, Arc<Stored>>;

/// The records of `schema` in `tables`, to write: cloned first if a
/// transaction's copy shares them.
fn stored_mut<'t>(tables: &'t mut Store, schema: &'static Schema) -> Result<&'t mut Stored> {
    tables
        .get_mut(schema.name)
        .map(Arc::make_mut)
        .ok_or_else(|| not_registered(schema))
}

/// One resource's records and their primary-key index.
struct Stored {
    /// The resource stored.
    schema: &'static Schema,
    table: Box<dyn Table>,
    /// Primary-key value → row.
    primary: KeyIndex,
    /// The largest integer primary key stored, for `Generated::Integer`.
    max_int: Option<i64>,
}

impl Tables for Store {
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
        let sort = sort_keys(&request, &*tables)?;
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
            let keys_of = |row| linker.keys_of_row(table, row);
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

        let Some(partition) = &request.partition else {
            if sort.is_empty() {
                let records = selected_records(table, filter, request.offset, request.limit)?;
                return Ok(ReadResult::new(Records::Typed(records)));
            }
            let rows = selected(table, filter, &sort, request.offset, request.limit);
            return Ok(ReadResult::new(Records::Typed(table.select(&rows))));
        };
        let mut hits: Vec<Hit> = Vec::new();
        let linker = Linker::new(schema, partition, &request.visibility, &tables)?;
        let keys_of = |row| linker.keys_of_row(table, row);
        scan(table.len(), CHUNK, filter, keys_of, |row, keys| {
            hits.extend(keys.iter().map(|&key| Hit { row, key }));
            true
        });
        let keys = partition.keys.len();
        let rows = window::windows(&hits, keys, table, &sort, request.offset, request.limit);
        let records = Records::Grouped(table.select_grouped(&rows, &pair_group_sizes(&rows, keys)));
        Ok(ReadResult::new(records))
    }

    fn create_now(&self, schema: &'static Schema, mut rows: Rows) -> Result<Records> {
        let mut tables = self.tables.write().unwrap_or_else(PoisonError::into_inner);
        let stored = tables
            .get(schema.name)
            .ok_or_else(|| not_registered(schema))?;
        // Every row has the width of the first.
        if let Some(row) = rows.get(0) {
            schema.check_row(row)?;
        }
        let max_int = assign_keys(schema, stored.max_int, &mut rows)?;

        // All or nothing: check every key, reference and identity before
        // inserting any row.
        check_references(&tables, schema, &rows)?;
        let stored = stored_mut(&mut tables, schema)?;
        check_primary_keys(schema, stored, &rows)?;
        identities::check(schema, &*stored.table, &[], &rows)?;

        let pk = schema.primary_key;
        let keys: Vec<Value> = rows.iter().map(|r| r[pk].clone()).collect();
        let start = stored.table.len();
        let records = push_rows(&mut *stored.table, schema, &mut rows)?;
        stored.index_keys(start, keys);
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
fn check_references(tables: &Store, schema: &'static Schema, rows: &Rows) -> Result<()> {
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
                identity: None,
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
        tables.entry(schema.name).or_insert_with(|| {
            Arc::new(Stored {
                schema,
                table: (schema.new_table)(),
                primary: KeyIndex::new(schema.primary_key().value_type),
                max_int: None,
            })
        });
        Ok(())
    }

    fn read<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<ReadResult>> {
        Box::pin(async move { self.read_now(request) })
    }

    fn count<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<usize>> {
        Box::pin(async move { self.count_now(&request) })
    }

    fn aggregate<'a>(
        &'a self,
        request: ReadRequest,
        aggregates: Vec<crate::expr::Aggregate>,
    ) -> BoxFuture<'a, Result<Vec<Vec<Value>>>> {
        Box::pin(async move { self.aggregate_now(&request, &aggregates) })
    }

    fn aggregate_list<'a>(
        &'a self,
        request: ReadRequest,
        aggregate: crate::expr::Aggregate,
    ) -> BoxFuture<'a, Result<Vec<(Value, Value)>>> {
        Box::pin(async move { self.aggregate_list_now(&request, &aggregate) })
    }

    fn create<'a>(&'a self, schema: &'static Schema, rows: Rows) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move {
            let _writer = self.writer.lock().await;
            self.create_now(schema, rows)
        })
    }

    fn begin<'a>(&'a self) -> BoxFuture<'a, Result<Box<dyn Transaction>>> {
        Box::pin(self.begin_now())
    }

    fn upsert<'a>(
        &'a self,
        schema: &'static Schema,
        rows: Rows,
        upsert: Upsert,
    ) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move {
            let _writer = self.writer.lock().await;
            self.upsert_now(schema, rows, &upsert)
        })
    }

    fn update<'a>(
        &'a self,
        request: ReadRequest,
        changes: Changes,
    ) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move {
            let _writer = self.writer.lock().await;
            self.update_now(&request, &changes)
        })
    }

    fn destroy<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, Result<Records>> {
        Box::pin(async move {
            let _writer = self.writer.lock().await;
            self.destroy_now(&request)
        })
    }
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
