//! The `Resource` trait and the static schema every resource carries: its
//! attributes, primary key and relationships, as `resource!` declared them.

use std::any::Any;

use crate::error::Result;
use crate::expr::Fields;
use crate::scalar::{ColumnReader, Scalar};
use crate::value::Value;

mod field;
mod schema;
mod table;

pub use crate::actor::Actor;
pub use field::Field;
pub use schema::{AttributeInfo, Generated, RelationshipInfo, RelationshipKind, Schema, Through};
pub use table::Table;

/// One record's attribute values, in the schema's attribute order.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let row: Row = vec![
///     Value::Uuid(Uuid::new_v4()),
///     Value::from("Toner low".to_string()),
///     Value::Null,
///     Value::Null,
/// ];
/// let ticket = Ticket::from_row(row)?;
/// assert_eq!(ticket.priority, None);
/// # Ok(()) }
/// ```
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
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let alice = representative(&support, "Alice").await?;
    /// let key: <Representative as Resource>::PrimaryKey = alice.primary_key();
    /// let by_key: std::collections::HashMap<Uuid, &str> = [(key, alice.name.as_str())].into();
    /// assert_eq!(by_key[&alice.id], "Alice");
    /// # Ok(()) }
    /// ```
    type PrimaryKey: Scalar + Eq + std::hash::Hash;
    /// Typed references to the attributes and relationships, for `expr!`: a
    /// filter is a closure from `&R::Fields` to a condition.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// /// `query`, filtered twice.
    /// fn both<R: Resource>(
    ///     query: Query<R>,
    ///     a: impl FnOnce(&R::Fields) -> Term<kind::Bool>,
    ///     b: impl FnOnce(&R::Fields) -> Term<kind::Bool>,
    /// ) -> Query<R> {
    ///     query.filter(a).filter(b)
    /// }
    /// let q = both(Ticket::query(), expr!(priority > 1), expr!(priority < 5));
    /// assert_eq!(
    ///     subjects(&support.read(q).await?),
    ///     ["VPN down", "Coffee machine empty"]
    /// );
    /// # Ok(()) }
    /// ```
    type Fields: Fields;

    /// The static description of this resource.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() {
    /// let schema = Ticket::schema();
    /// assert_eq!(schema.name, "Ticket");
    /// assert_eq!(schema.table, "ticket");
    /// let names: Vec<&str> = schema.attributes.iter().map(|a| a.name).collect();
    /// assert_eq!(names, ["id", "subject", "priority", "representative_id"]);
    /// # }
    /// ```
    fn schema() -> &'static Schema;

    /// The value of the attribute at `index` in [`Schema::attributes`].
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let badge = support
    ///     .read(Ticket::query().filter(expr!(subject == "Lost badge")))
    ///     .await?;
    /// let priority = Ticket::schema().attribute_index("priority").unwrap();
    /// assert_eq!(badge[0].get(priority), Value::Null);
    /// assert_eq!(
    ///     badge[0].get(Ticket::subject().index()),
    ///     Value::from("Lost badge".to_string())
    /// );
    /// # Ok(()) }
    /// ```
    fn get(&self, index: usize) -> Value;

    /// The primary key.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let alice = representative(&support, "Alice").await?;
    /// let key: Uuid = alice.primary_key();
    /// assert_eq!(key, alice.id);
    /// # Ok(()) }
    /// ```
    fn primary_key(&self) -> Self::PrimaryKey;

    /// Builds a record from a row in attribute order; relationships start not
    /// loaded. An `Err` names the attribute whose value does not fit.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let id = Uuid::new_v4();
    /// let ticket = Ticket::from_row(vec![
    ///     Value::Uuid(id),
    ///     Value::from("Toner low".to_string()),
    ///     Value::Int(1),
    ///     Value::Null,
    /// ])?;
    /// assert_eq!(ticket.id, id);
    /// assert_eq!(ticket.priority, Some(1));
    /// assert!(!ticket.representative.is_loaded());
    ///
    /// let err = Ticket::from_row(vec![
    ///     Value::Uuid(id),
    ///     Value::Int(7),
    ///     Value::Null,
    ///     Value::Null,
    /// ])
    /// .unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "attribute `subject` of Ticket expects String, found 7"
    /// );
    /// # Ok(()) }
    /// ```
    fn from_row(row: Row) -> Result<Self>;

    /// Builds a record from a data layer's result row, reading each attribute
    /// straight into its field's type (see [`ColumnReader`]); relationships start
    /// not loaded. `resource!` generates it; the default reads a [`Row`] and calls
    /// [`Resource::from_row`].
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # fn main() -> ashore::Result<()> {
    /// use ashore::data_layer::ColumnReader;
    /// use chrono::{DateTime, Utc};
    ///
    /// /// A representative's row: id, name, priority_threshold.
    /// struct RepRow(Uuid);
    ///
    /// impl ColumnReader for RepRow {
    ///     fn bool(&mut self, _: usize) -> ashore::Result<Option<bool>> { Ok(None) }
    ///     fn int(&mut self, _: usize) -> ashore::Result<Option<i64>> { Ok(Some(3)) }
    ///     fn float(&mut self, _: usize) -> ashore::Result<Option<f64>> { Ok(None) }
    ///     fn string(&mut self, _: usize) -> ashore::Result<Option<String>> {
    ///         Ok(Some("Alice".into()))
    ///     }
    ///     fn uuid(&mut self, _: usize) -> ashore::Result<Option<Uuid>> { Ok(Some(self.0)) }
    ///     fn datetime(&mut self, _: usize) -> ashore::Result<Option<DateTime<Utc>>> {
    ///         Ok(None)
    ///     }
    /// }
    ///
    /// let id = Uuid::new_v4();
    /// let alice = Representative::from_columns(&mut RepRow(id))?;
    /// assert_eq!((alice.id, alice.name.as_str(), alice.priority_threshold), (id, "Alice", 3));
    /// assert!(!alice.tickets.is_loaded());
    /// # Ok(()) }
    /// ```
    fn from_columns<C: ColumnReader + ?Sized>(reader: &mut C) -> Result<Self> {
        let row = Self::schema()
            .attributes
            .iter()
            .enumerate()
            .map(|(i, a)| reader.value(a.value_type, i))
            .collect::<Result<Row>>()?;
        Self::from_row(row)
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
