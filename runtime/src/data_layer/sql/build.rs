//! SQL text for both dialects: reads (filters, relationship paths, sort, windows,
//! partitions), inserts, updates, deletes and DDL. Pure functions from schemas and requests to
//! [`Statement`]s; nothing here touches a database.
//!
//! The SQL gives the in-memory layer's answers (see `operators` for how nil,
//! types and overflow, and `filter` for how relationship paths, are kept
//! identical). What the layers that run these statements must provide:
//! - SQLite: the `rarray` table-valued function (`rusqlite::vtab::array::
//!   load_module`); a [`Param::List`](super::Param::List) bound as an
//!   `Rc<Vec<rusqlite::types::Value>>`; UUIDs as lowercase hyphenated TEXT,
//!   timestamps as `%Y-%m-%dT%H:%M:%S%.6fZ` TEXT, booleans as 0/1;
//!   `PRAGMA foreign_keys = ON` for the foreign keys to be enforced.
//! - PostgreSQL: every placeholder is cast to the type it must be bound as:
//!   `$n::bigint` for `Value::Int`, …, and for a list `$n::<type>[]` where
//!   `<type>` is the PostgreSQL type of the list's `ValueType` (`I16` →
//!   `smallint[]`, `I32` → `integer[]`, `I64` → `bigint[]`, `F64` → `float8[]`,
//!   …). Lists built here never hold nil.
//! - Both: a read's rows hold the attributes in schema order (then the partition
//!   key); a partitioned read comes ordered within each key, not grouped
//!   (SQLite's is ordered by key first). Except on PostgreSQL, an unsorted
//!   partitioned read without offset or limit: its rows come in no order, with
//!   the insertion sequence after the key
//!   ([`Columns::AttributesKeyAndSeq`](super::Columns::AttributesKeyAndSeq)), and
//!   the layer must order them by it (a stable sort of each key's rows, or of
//!   all rows).
//!
//! Known differences from the in-memory layer, all at the edges of `f64`: a
//! float result past `f64` (and a product or quotient of non-zero numbers that
//! underflows to zero) is an error on PostgreSQL, infinity (zero) in memory and
//! on SQLite. (A NaN is refused as a value and is nil as a result, on every
//! layer: see `operators`.)
//!
//! Generated integer keys come after the largest key, given or generated, on
//! every layer (see `insert`).

mod aggregate;
mod ddl;
mod delete;
mod drift;
mod filter;
mod functions;
mod hop;
mod insert;
mod keyed;
mod operators;
mod order;
mod read;
mod selection;
mod special;
mod text;
mod update;

pub use drift::FoundColumn;
// What the SQLite layer registers on its connections.
#[cfg(all(feature = "decimal", feature = "sqlite"))]
pub(crate) use special::DECIMAL_COLLATION;
#[cfg(all(feature = "json", feature = "sqlite"))]
pub(crate) use special::JSON_KEY;

#[cfg(test)]
mod tests;

use super::{Dialect, Statement};
use crate::data_layer::{Changes, ReadRequest, Upsert};
use crate::error::Result;
use crate::resource::{Identity, Rows, Schema};

/// The one statement of a read.
pub fn read(dialect: Dialect, request: &ReadRequest) -> Result<Statement> {
    read::read(dialect, request, read::Shape::Records)
}

/// The one statement counting what a read would return (one row, one
/// `bigint`: [`Columns::Count`](super::Columns::Count)); the records are not
/// fetched, and without an offset or a limit nothing is sorted. A partitioned
/// request is an error.
pub fn count(dialect: Dialect, request: &ReadRequest) -> Result<Statement> {
    read::read(dialect, request, read::Shape::Count)
}

/// The one statement of [`DataLayer::aggregate`](crate::DataLayer::aggregate):
/// the primary key of each record `request` selects and one correlated
/// subquery per aggregate ([`Columns::Values`](super::Columns::Values)), in
/// insertion order. A partitioned request is an error.
pub fn aggregate(
    dialect: Dialect,
    request: &ReadRequest,
    aggregates: &[crate::expr::Aggregate],
) -> Result<Statement> {
    aggregate::aggregate(dialect, request, aggregates)
}

/// The one statement of [`DataLayer::aggregate_list`](crate::DataLayer::aggregate_list):
/// a row per value of the `list` aggregate (the record's primary key, the
/// value; [`Columns::Values`](super::Columns::Values)), by record in
/// insertion order, then by record reached.
pub fn aggregate_list(
    dialect: Dialect,
    request: &ReadRequest,
    aggregate: &crate::expr::Aggregate,
) -> Result<Statement> {
    aggregate::list(dialect, request, aggregate)
}

/// The query of the largest primary key stored in `schema`'s table (NULL when
/// it is empty), for a layer that assigns integer keys itself.
pub fn max_primary_key(schema: &'static Schema) -> String {
    insert::max_primary_key(schema)
}

/// Assigns the nil integer primary keys of `rows` as an insert would (one more
/// than the largest of `stored` and the keys given, in row order).
pub fn assign_integer_keys(
    schema: &'static Schema,
    rows: &mut Rows,
    stored: Option<i64>,
) -> Result<()> {
    insert::assign_integer_keys(schema, rows, stored)
}

/// Inserts of `rows` (in schema attribute order), in as few statements as the
/// dialect's parameter limit allows, each returning the created rows
/// (`Columns::Attributes`), in the order given.
pub fn insert(dialect: Dialect, schema: &'static Schema, rows: &Rows) -> Result<Vec<Statement>> {
    insert::insert(dialect, schema, rows, None)
}

/// The text of a plain insert of rows of `schema` that returns nothing and
/// reads every row from the table-valued function `source` (see
/// `insert::rows_insert`), for a layer that hands its rows over in place,
/// every key set, and builds the created records from them.
pub fn rows_insert(schema: &'static Schema, source: &str) -> String {
    insert::rows_insert(schema, source)
}

/// The inserts of [`insert()`], each with `ON CONFLICT (<the identity's columns>)
/// DO UPDATE SET` the attributes `upsert` updates: a row whose identity values
/// a stored record has updates that record, and each statement returns the
/// records created or updated, in the order given. Rows sharing identity
/// values are refused before this (the engine does), as PostgreSQL would.
pub fn upsert(
    dialect: Dialect,
    schema: &'static Schema,
    rows: &Rows,
    upsert: &Upsert,
) -> Result<Vec<Statement>> {
    insert::insert(dialect, schema, rows, Some(upsert))
}

/// The name of `identity`'s unique index in `schema`'s table (`<table>_<identity>_index`),
/// as the database reports it in a violation.
pub fn identity_index(
    dialect: Dialect,
    schema: &'static Schema,
    identity: &'static Identity,
) -> String {
    ddl::identity_index(dialect, schema, identity)
}

/// The one statement updating the records `request` selects with `changes`
/// (`UPDATE … WHERE key IN (…) RETURNING …`), returning them as stored after,
/// with their insertion sequence ([`Columns::AttributesAndSeq`](super::Columns::AttributesAndSeq)),
/// in no order.
pub fn update(dialect: Dialect, request: &ReadRequest, changes: &Changes) -> Result<Statement> {
    update::update(dialect, request, changes)
}

/// The one statement destroying the records `request` selects (`DELETE …
/// WHERE key IN (…) RETURNING …`), returning them as they were, as
/// [`update()`] does.
pub fn delete(dialect: Dialect, request: &ReadRequest) -> Result<Statement> {
    delete::delete(dialect, request)
}

/// The DDL that makes what `schemas` need and is missing, to run in order.
/// Idempotent: running it on a database that has everything changes nothing.
pub fn migrate(dialect: Dialect, schemas: &[&'static Schema]) -> Vec<String> {
    ddl::migrate(dialect, schemas)
}

/// The DDL of [`migrate`] for a database whose tables `found` describes
/// (`None`: the table does not exist): an existing table is compared with
/// its resource and gets the optional columns it lacks (PostgreSQL: and the
/// hidden sequence column) instead of its `CREATE TABLE`; a drift that cannot
/// be mended safely is an [`ErrorKind::SchemaDrift`](crate::ErrorKind::SchemaDrift).
/// Every foreign key and index is in it (each idempotent); see
/// [`migration_plan_with`] for a plan that leaves out those present.
pub fn migration_plan(
    dialect: Dialect,
    schemas: &[&'static Schema],
    found: &dyn Fn(&str) -> Option<Vec<FoundColumn>>,
) -> Result<Vec<String>> {
    ddl::plan(dialect, schemas, found, &|_| false)
}

/// [`migration_plan`] without the foreign keys and indexes the database has
/// already: `named(name)` says whether an index or constraint of that name
/// exists (in the schema migrated). A database that has everything gets an
/// empty plan.
pub fn migration_plan_with(
    dialect: Dialect,
    schemas: &[&'static Schema],
    found: &dyn Fn(&str) -> Option<Vec<FoundColumn>>,
    named: &dyn Fn(&str) -> bool,
) -> Result<Vec<String>> {
    ddl::plan(dialect, schemas, found, named)
}
