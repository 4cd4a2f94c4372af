//! What a data layer is asked: one read ([`ReadRequest`]), the partition of a
//! relationship load ([`Partition`], [`PartitionBy`]) and the conditions the
//! tenant and read policies put on each resource ([`Visibility`]).

use std::hash::Hash;

use foldhash::{HashMap, HashMapExt};

use crate::expr::Expr;
use crate::resource::Schema;
use crate::sort::Sort;
use crate::value::Value;

/// One read, as the domain and the loader ask it of a data layer. Code below
/// queries (a raw manual loader, a data layer wrapping another) can make its own.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// use ashore::data_layer::{Partition, PartitionBy, ReadRequest};
///
/// let reps = support
///     .read(Representative::query().sort(Representative::name()))
///     .await?;
/// // The two most urgent tickets of each representative, in one read.
/// let mut request = ReadRequest::new(Ticket::schema());
/// request.sort = vec![Ticket::priority().desc()];
/// request.limit = Some(2);
/// request.partition = Some(Partition {
///     by: PartitionBy::Attribute("representative_id"),
///     keys: reps.iter().map(|r| Value::from(r.id)).collect(),
/// });
/// let groups = support
///     .data_layer()
///     .read(request)
///     .await?
///     .into_groups::<Ticket>(reps.len())?;
/// assert_eq!(subjects(&groups[0]), ["Printer on fire", "VPN down"]); // Alice's
/// assert_eq!(
///     subjects(&groups[1]),
///     ["Server room flooded", "Password reset"]
/// ); // Bob's
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct ReadRequest {
    /// The resource read.
    pub schema: &'static Schema,
    /// Records must make this true (three-valued: nil does not match).
    pub filter: Option<Expr>,
    /// Sort keys; ties keep insertion order.
    pub sort: Vec<Sort>,
    /// At most this many records (per partition key when partitioned).
    pub limit: Option<usize>,
    /// Skip this many records (per partition key when partitioned).
    pub offset: usize,
    /// Restricts the read to records linked to these keys and tags each record.
    pub partition: Option<Partition>,
    /// Conditions on the records of some resources (tenant and read policies),
    /// wherever the read meets them.
    pub visibility: Visibility,
}

/// Conditions on the records of some resources that hold wherever a read meets
/// those resources: at its root, and at every relationship hop of its filter
/// (to-one joins, `exists` and to-many paths, and a many_to_many's join
/// records), exactly where a relationship's own `filter` applies. The domain
/// makes them from the tenant and the read policies; a data layer only applies
/// them, so a record the actor may not see neither comes back nor makes a
/// filter path match. The conditions' own relationship paths are not scoped
/// (they see every stored record): a record's visibility depends on the record
/// alone, whatever path reached it, and conditions that reach each other's
/// resources cannot recurse.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # fn main() {
/// use ashore::data_layer::Visibility;
/// use ashore::{CmpOp, Expr, Value};
///
/// let open = Expr::cmp(CmpOp::Eq, Expr::attr("status"), Expr::Value(Value::from("open".to_string())));
/// let visibility = Visibility::new(vec![(Ticket::schema(), open.clone())]);
/// assert_eq!(visibility.of(Ticket::schema()), Some(&open));
/// assert_eq!(visibility.of(Representative::schema()), None);
/// assert!(Visibility::default().is_empty());
/// # }
/// ```
#[derive(Clone, Debug, Default)]
pub struct Visibility(Option<std::sync::Arc<Vec<(&'static Schema, Expr)>>>);

impl Visibility {
    /// The condition on each listed resource's records.
    pub fn new(conditions: Vec<(&'static Schema, Expr)>) -> Self {
        if conditions.is_empty() {
            Visibility(None)
        } else {
            Visibility(Some(std::sync::Arc::new(conditions)))
        }
    }

    /// The condition on `schema`'s records, if any.
    pub fn of(&self, schema: &'static Schema) -> Option<&Expr> {
        self.0
            .as_deref()?
            .iter()
            .find(|(s, _)| std::ptr::eq(*s, schema))
            .map(|(_, e)| e)
    }

    /// Whether no resource has a condition.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }
}

impl ReadRequest {
    /// A read of every record of `schema`.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// use ashore::data_layer::ReadRequest;
    ///
    /// let request = ReadRequest::new(Ticket::schema());
    /// assert!(request.filter.is_none() && request.partition.is_none());
    /// let all = support.data_layer().read(request).await?;
    /// assert_eq!(all.records.into_vec::<Ticket>()?.len(), 6);
    /// # Ok(()) }
    /// ```
    pub fn new(schema: &'static Schema) -> Self {
        ReadRequest {
            schema,
            filter: None,
            sort: Vec::new(),
            limit: None,
            offset: 0,
            partition: None,
            visibility: Visibility::default(),
        }
    }
}

/// A partitioned read: the records linked to each key, tagged with the key. Sort,
/// offset and limit apply per key.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// use ashore::data_layer::{Partition, PartitionBy, ReadRequest};
///
/// let alice = representative(&support, "Alice").await?;
/// let mut request = ReadRequest::new(Ticket::schema());
/// request.sort = vec![Ticket::subject().asc()];
/// request.offset = 1;
/// request.partition = Some(Partition {
///     by: PartitionBy::Attribute("representative_id"),
///     keys: vec![Value::from(alice.id)],
/// });
/// let groups = support
///     .data_layer()
///     .read(request)
///     .await?
///     .into_groups::<Ticket>(1)?;
/// assert_eq!(subjects(&groups[0]), ["Printer on fire", "VPN down"]);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Partition {
    /// How records are linked to keys.
    pub by: PartitionBy,
    /// The keys: distinct and never nil.
    pub keys: Vec<Value>,
}

/// How records are linked to partition keys: a has_many or has_one reads its
/// destination partitioned by `Attribute(destination_attribute)`; a many_to_many
/// by `Through` its join resource.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk! { many_to_many skills: Skill { through RepresentativeSkill; } }
/// # resource! {
/// #     #[derive(Debug, Clone, PartialEq)]
/// #     pub struct Skill {
/// #         attributes { integer_primary_key id; attribute name: String; }
/// #     }
/// # }
/// # resource! {
/// #     #[derive(Debug, Clone, PartialEq)]
/// #     pub struct RepresentativeSkill {
/// #         attributes { uuid_primary_key id; }
/// #         relationships { belongs_to representative: Representative; belongs_to skill: Skill; }
/// #     }
/// # }
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// use ashore::data_layer::{Partition, PartitionBy, ReadRequest};
///
/// let support = Domain::builder()
///     .resource::<Representative>()
///     .resource::<Ticket>()
///     .resource::<Skill>()
///     .resource::<RepresentativeSkill>()
///     .build()?;
/// let alice = support
///     .create(
///         Representative::changeset()
///             .set(Representative::name(), "Alice")
///             .set(Representative::priority_threshold(), 3),
///     )
///     .await?;
/// let skills = support
///     .create_many(["Printers", "Networks"].map(|n| Skill::changeset().set(Skill::name(), n)))
///     .await?;
/// support
///     .create(
///         RepresentativeSkill::changeset()
///             .set(RepresentativeSkill::representative_id(), alice.id)
///             .set(RepresentativeSkill::skill_id(), skills[1].id),
///     )
///     .await?;
///
/// let mut request = ReadRequest::new(Skill::schema());
/// request.partition = Some(Partition {
///     by: PartitionBy::Through {
///         join: RepresentativeSkill::schema(),
///         source_attribute_on_join: "representative_id",
///         destination_attribute_on_join: "skill_id",
///         destination_attribute: "id",
///     },
///     keys: vec![Value::from(alice.id)],
/// });
/// let groups = support
///     .data_layer()
///     .read(request)
///     .await?
///     .into_groups::<Skill>(1)?;
/// assert_eq!(groups[0], [skills[1].clone()]);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub enum PartitionBy {
    /// The record's attribute equals the key.
    Attribute(&'static str),
    /// A join record has the key in `source_attribute_on_join` and the record's
    /// `destination_attribute` in `destination_attribute_on_join`. A record linked
    /// to several keys appears once per key.
    Through {
        /// The join resource.
        join: &'static Schema,
        /// Join attribute matched against the keys.
        source_attribute_on_join: &'static str,
        /// Join attribute matched against the record's `destination_attribute`.
        destination_attribute_on_join: &'static str,
        /// The record's attribute.
        destination_attribute: &'static str,
    },
}

impl Partition {
    /// The attribute of `schema` that holds each record's key: the attribute a
    /// partition by an attribute names (`None` when `schema` has no such
    /// attribute), and `None` through a join, whose key comes from the join.
    pub fn key_attribute(&self, schema: &Schema) -> Option<usize> {
        match &self.by {
            PartitionBy::Attribute(name) => schema.attribute_index(name),
            PartitionBy::Through { .. } => None,
        }
    }
}

/// The group of each key: its position among `keys` (the first, for a key
/// given twice), which is the group its records go to. Every layer groups by it.
pub(crate) fn group_positions<K: Hash + Eq>(
    keys: impl ExactSizeIterator<Item = K>,
) -> HashMap<K, usize> {
    let mut positions = HashMap::with_capacity(keys.len());
    for (i, key) in keys.enumerate() {
        positions.entry(key).or_insert(i);
    }
    positions
}
