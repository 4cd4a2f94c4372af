//! The `Resource` trait and the static schema every resource carries: its
//! attributes, primary key and relationships, as `resource!` declared them.

use std::any::Any;

use crate::error::Result;
use crate::expr::Fields;
use crate::scalar::{AttributeVisitor, ColumnReader, Scalar};
use crate::value::Value;

mod field;
mod filter_cycles;
mod identity;
mod row_columns;
mod rows;
mod schema;
mod table;
pub(crate) mod visitors;

pub use crate::actor::Actor;
pub use field::Field;
pub(crate) use filter_cycles::relationship_filter_cycle;
pub use identity::{Identity, IdentityRef};
#[cfg(test)]
pub(crate) use row_columns::RowColumns;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub(crate) use row_columns::of_type;
pub(crate) use row_columns::{mismatch_of, row_columns};
pub use rows::Rows;
pub use schema::{AttributeInfo, Generated, RelationshipInfo, RelationshipKind, Schema, Through};
pub use table::Table;

use visitors::{AsInt, AsUuid, ToValue};

/// One record's attribute values, in the schema's attribute order.
pub type Row = Vec<Value>;

/// A resource: a struct declared with `resource!`. Everything here is generated.
///
/// Besides the trait, `resource!` gives the struct one field reference per
/// attribute (`Ticket::priority()`, a [`Field`]) and one relationship marker per
/// relationship (`Representative::tickets()`, a [`Rel`](crate::Rel)).
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let ticket = support
///     .create(
///         Ticket::changeset()
///             .set(Ticket::subject(), "Toner low")
///             .set(Ticket::priority(), 1),
///     )
///     .await?;
/// assert_eq!(Ticket::schema().name, "Ticket");
/// assert_eq!(ticket.get(Ticket::priority().index()), Value::Int(1));
/// assert_eq!(ticket.primary_key(), ticket.id);
/// # Ok(()) }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an ashore resource",
    label = "not a resource",
    note = "declare it with `resource! {{ .. }}` (or `#[derive(Resource)]`)"
)]
pub trait Resource: Clone + Send + Sync + Sized + 'static {
    /// The primary key's type (`Uuid` or `i64`), as `Related::from_map` keys by.
    type PrimaryKey: Scalar + Eq + std::hash::Hash;
    /// Typed references to the attributes, relationships and aggregates, for
    /// `expr!`: a zero-sized struct with one field per name, and a filter is a
    /// closure from `&R::Fields` to a condition.
    type Fields: Fields;

    /// The static description of this resource.
    fn schema() -> &'static Schema;

    /// Calls `visitor` with the attribute at `index` in [`Schema::attributes`]
    /// (its `missing` past the last): what [`get`](Resource::get),
    /// [`get_int`](Resource::get_int) and [`get_uuid`](Resource::get_uuid) read
    /// through, so `resource!` generates one function for the three. Generated.
    #[doc(hidden)]
    fn visit<V: AttributeVisitor>(&self, index: usize, visitor: V) -> V::Output;

    /// The value of the attribute at `index` in [`Schema::attributes`].
    fn get(&self, index: usize) -> Value {
        self.visit(index, ToValue)
    }

    /// The attribute at `index` as an integer, when it holds one (`None` for
    /// nil and for attributes of other types): [`get`](Resource::get) without
    /// making a `Value`, for the in-memory evaluator's column reads.
    #[doc(hidden)]
    #[inline]
    fn get_int(&self, index: usize) -> Option<i64> {
        self.visit(index, AsInt)
    }

    /// The attribute at `index` as a UUID, when it holds one (as
    /// [`get_int`](Resource::get_int)).
    #[doc(hidden)]
    #[inline]
    fn get_uuid(&self, index: usize) -> Option<uuid::Uuid> {
        self.visit(index, AsUuid)
    }

    /// The primary key.
    fn primary_key(&self) -> Self::PrimaryKey;

    /// Builds a record from a row in attribute order; relationships start not
    /// loaded. An `Err` names the attribute whose value does not fit (or says
    /// the row is not one value per attribute). It reads the row through
    /// [`Resource::read_columns`], so `resource!` generates nothing for it.
    #[inline]
    fn from_row(mut row: Row) -> Result<Self> {
        let mut columns = row_columns(Self::schema(), &mut row)?;
        match Self::read_columns(&mut columns) {
            Ok(record) => Ok(record),
            Err(e) => Err(columns.of_record(e)),
        }
    }

    /// Builds a record from a data layer's result row, reading each attribute
    /// straight into its field's type (see [`ColumnReader`]); relationships start
    /// not loaded. It reads through [`Resource::read_columns`], which `resource!`
    /// generates.
    fn from_columns<C: ColumnReader + ?Sized>(reader: &mut C) -> Result<Self> {
        Self::read_columns(&mut Forward(reader))
    }

    /// What [`Resource::from_columns`] does, for a reader of any type: the data
    /// layers call it, so its code exists once per resource whatever the reader.
    /// `resource!` generates it, reading each attribute straight into its field's
    /// type (a hand-written impl may read a [`Row`] with [`read_row`] and build
    /// the record from that).
    #[doc(hidden)]
    fn read_columns(reader: &mut dyn ColumnReader) -> Result<Self>;
}

/// The values `reader` holds for the attributes of `schema`, as a [`Row`].
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn read_row(schema: &Schema, reader: &mut dyn ColumnReader) -> Result<Row> {
    schema
        .attributes
        .iter()
        .enumerate()
        .map(|(i, a)| reader.value(a.value_type, i))
        .collect()
}

/// A reader of any type, `?Sized` included, as a `dyn ColumnReader`.
struct Forward<'a, C: ?Sized>(&'a mut C);

impl<C: ColumnReader + ?Sized> ColumnReader for Forward<'_, C> {
    fn bool(&mut self, attribute: usize) -> Result<Option<bool>> {
        self.0.bool(attribute)
    }
    fn int(&mut self, attribute: usize) -> Result<Option<i64>> {
        self.0.int(attribute)
    }
    fn float(&mut self, attribute: usize) -> Result<Option<f64>> {
        self.0.float(attribute)
    }
    fn string(&mut self, attribute: usize) -> Result<Option<String>> {
        self.0.string(attribute)
    }
    fn uuid(&mut self, attribute: usize) -> Result<Option<uuid::Uuid>> {
        self.0.uuid(attribute)
    }
    fn datetime(&mut self, attribute: usize) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
        self.0.datetime(attribute)
    }
    fn other(&mut self, value_type: crate::value::ValueType, attribute: usize) -> Result<Value> {
        self.0.other(value_type, attribute)
    }
    fn value(&mut self, value_type: crate::value::ValueType, attribute: usize) -> Result<Value> {
        self.0.value(value_type, attribute)
    }
}

impl<R: Resource> Actor for R {
    fn attribute(&self, name: &str) -> Option<Value> {
        R::schema().attribute_index(name).map(|i| self.get(i))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
