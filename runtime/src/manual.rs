//! Manual relationships: the user's own loader (`ManualRelationship`), what it is
//! given (`LoadContext`) and what it returns (`Related`).

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;

use crate::data_layer::BoxFuture;
use crate::domain::{Domain, ReadScope, Scope};
use crate::error::Result;
use crate::query::Query;
use crate::resource::{Actor, RelationshipInfo, Resource};
use crate::scalar::Scalar;
use crate::value::Value;
use gather::gather;
use grouping::Grouping;

mod gather;
mod grouping;

/// A relationship whose records the user's code finds: Ash's
/// `Ash.Resource.ManualRelationship`. Declare it on a has_one or has_many with
/// `manual <expr>;`, where the expression's type implements this trait; `&self`
/// carries its options (Ash's `opts`).
///
/// `load` is called once per level of a load, with every source record at once.
/// It returns the related records keyed by the source records' primary keys.
/// Sort, offset and limit of the load are applied per source record afterwards,
/// so a loader only has to honour `ctx.query`'s filter and sort.
///
/// What it returns reaches the caller only as far as the caller may read it:
/// each record is held to the caller's tenant and read policies by its content
/// as returned, not by its key (a path in a policy starts from the returned
/// record's own foreign keys); a record that fails is left out, or is
/// `ErrorKind::Forbidden` with `authorize_read_with error` when only the
/// policies keep it out (another tenant's record is always left out, as a
/// read leaves it out). A loader may make
/// its records in code (from an outside service): declare the destination
/// `not_stored;`, and it needs no table; its records are held to its own
/// policies the same way.
///
/// The guide's loader, declared on `Representative` as
/// `has_many tickets_above_threshold: Ticket { manual TicketsAboveThreshold; }`,
/// and a load of the most urgent such ticket of each representative:
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk! { has_many tickets_above_threshold: Ticket { manual TicketsAboveThreshold; } }
/// /// Tickets whose priority is above their representative's threshold: the
/// /// guide's `TicketsAboveThreshold`.
/// struct TicketsAboveThreshold;
///
/// impl ManualRelationship for TicketsAboveThreshold {
///     type Source = Representative;
///     type Destination = Ticket;
///
///     async fn load(
///         &self,
///         reps: &[Representative],
///         ctx: &LoadContext<'_, Ticket>,
///     ) -> ashore::Result<Related<Representative, Ticket>> {
///         let ids: Vec<Uuid> = reps.iter().map(|r| r.id).collect();
///         // `ctx.query` carries the load's filter and sort; `read(ctx)` reads with the
///         // caller's domain, actor, authorize flag and tenant.
///         let tickets = ctx
///             .query
///             .clone()
///             .filter(expr!(representative_id in ^ids))
///             .filter(expr!(priority > representative.priority_threshold))
///             .read(ctx)
///             .await?;
///         // Keyed by the source's primary key: ashore attaches each group.
///         Ok(Related::group_by(tickets, |t| t.representative_id))
///     }
/// }
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let reps = support
///     .read(
///         Representative::query().sort(Representative::name()).load(
///             Representative::tickets_above_threshold()
///                 .sort(Ticket::priority().desc())
///                 .limit(1),
///         ),
///     )
///     .await?;
/// // Alice (threshold 3) has two tickets above it, Bob (threshold 5) one;
/// // the limit applies to each representative.
/// assert_eq!(
///     subjects(reps[0].tickets_above_threshold.get()?),
///     ["Printer on fire"]
/// );
/// assert_eq!(
///     subjects(reps[1].tickets_above_threshold.get()?),
///     ["Server room flooded"]
/// );
/// # Ok(()) }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a manual relationship",
    label = "`manual` needs a value whose type implements `ManualRelationship`",
    note = "implement `ashore::ManualRelationship` for `{Self}`, with `Source` and `Destination` set to the two resources"
)]
pub trait ManualRelationship: Send + Sync + 'static {
    /// The resource declaring the relationship.
    type Source: Resource;
    /// The resource loaded.
    type Destination: Resource;

    /// Finds the related records of `records`. An `Err` fails the read that
    /// loads the relationship, with the relationship's path added; wrap errors
    /// of your own with [`Error::loader`](crate::Error::loader).
    fn load(
        &self,
        records: &[Self::Source],
        ctx: &LoadContext<'_, Self::Destination>,
    ) -> impl Future<Output = Result<Related<Self::Source, Self::Destination>>> + Send;
}

/// A manual loader behind a pointer (what the loader stores).
pub trait DynManual<S: Resource, D: Resource>: Send + Sync {
    /// Calls `ManualRelationship::load`.
    fn load<'a>(
        &'a self,
        records: &'a [S],
        ctx: &'a LoadContext<'a, D>,
    ) -> BoxFuture<'a, Result<Related<S, D>>>;
}

impl<M: ManualRelationship> DynManual<M::Source, M::Destination> for M {
    fn load<'a>(
        &'a self,
        records: &'a [M::Source],
        ctx: &'a LoadContext<'a, M::Destination>,
    ) -> BoxFuture<'a, Result<Related<M::Source, M::Destination>>> {
        Box::pin(ManualRelationship::load(self, records, ctx))
    }
}

/// What a manual loader is given besides the source records (Ash's context map).
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk! { has_many inspected: Ticket { manual Inspect; } }
/// // In this example, `Representative` declares `has_many inspected: Ticket { manual Inspect; }`.
/// /// Checks what it is given, and finds nothing.
/// struct Inspect;
///
/// impl ManualRelationship for Inspect {
///     type Source = Representative;
///     type Destination = Ticket;
///
///     async fn load(
///         &self,
///         reps: &[Representative],
///         ctx: &LoadContext<'_, Ticket>,
///     ) -> ashore::Result<Related<Representative, Ticket>> {
///         // The load's filter and sort, without its limit (applied afterwards).
///         assert_eq!(ctx.query.get_filter().unwrap().to_string(), "priority > 1");
///         assert_eq!(ctx.query.get_sort(), [Ticket::subject().asc()]);
///         assert_eq!(ctx.query.get_limit(), None);
///         // Who reads, and how.
///         let actor = ctx.actor.unwrap();
///         assert_eq!(
///             actor.attribute("name"),
///             Some(Value::from("Alice".to_string()))
///         );
///         assert!(ctx.authorize);
///         assert_eq!(ctx.tenant, Some(&Value::from("acme".to_string())));
///         // Where.
///         assert_eq!(ctx.relationship.name, "inspected");
///         assert_eq!(ctx.domain.data_layer().name(), "memory");
///         assert_eq!(reps.len(), 2);
///         Ok(Related::empty())
///     }
/// }
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let alice = representative(&support, "Alice").await?;
/// let reps = support
///     .read(
///         Representative::query().load(
///             Representative::inspected()
///                 .filter(expr!(priority > 1))
///                 .sort(Ticket::subject())
///                 .limit(1),
///         ),
///     )
///     .actor(&alice)
///     .authorize(true)
///     .tenant("acme".to_string())
///     .await?;
/// assert!(
///     reps.iter()
///         .all(|r| r.inspected.get().is_ok_and(Vec::is_empty))
/// );
/// # Ok(()) }
/// ```
pub struct LoadContext<'a, D: Resource> {
    /// The related query: the load's filter and sort with the relationship's own
    /// `filter` and `sort` applied; its loads, limit and offset removed (the loader
    /// applies those after `load` returns, per source record).
    pub query: Query<D>,
    /// Who is reading, as given to the read.
    pub actor: Option<&'a dyn Actor>,
    /// Whether policies apply to this read.
    pub authorize: bool,
    /// The tenant, as given to the read.
    pub tenant: Option<&'a Value>,
    /// The domain being read.
    pub domain: &'a Domain,
    /// The relationship being loaded.
    pub relationship: &'static RelationshipInfo,
    pub(crate) scope: &'a Scope,
}

impl<D: Resource> fmt::Debug for LoadContext<'_, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoadContext")
            .field("query", &self.query)
            .field("actor", &self.actor.is_some())
            .field("authorize", &self.authorize)
            .field("tenant", &self.tenant)
            .field("relationship", &self.relationship.name)
            .finish()
    }
}

impl<'a, D: Resource> LoadContext<'a, D> {
    /// The value of type `T` the domain holds for loaders
    /// ([`DomainBuilder::state`](crate::DomainBuilder::state)): an HTTP
    /// client, a cache, settings. `None` when the domain was given none.
    pub fn state<T: Send + Sync + 'static>(&self) -> Option<&'a T> {
        self.domain.state::<T>()
    }
}

impl<D: Resource> ReadScope for LoadContext<'_, D> {
    fn read_scope(&self) -> &Scope {
        self.scope
    }
}

/// The records a manual loader found, keyed by the source records' primary keys.
/// Source records missing from it get `[]` (has_many) or `None` (has_one).
///
/// Make one with [`group_by`](Related::group_by) (by a key of each record),
/// [`from_map`](Related::from_map) (from groups you keyed already),
/// [`by_position`](Related::by_position) (one group per source record, in order)
/// or [`empty`](Related::empty).
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk! { has_many urgent: Ticket { manual Urgent; } }
/// // In this example, `Representative` declares `has_many urgent: Ticket { manual Urgent; }`.
/// /// Tickets of priority 5.
/// struct Urgent;
///
/// impl ManualRelationship for Urgent {
///     type Source = Representative;
///     type Destination = Ticket;
///
///     async fn load(
///         &self,
///         reps: &[Representative],
///         ctx: &LoadContext<'_, Ticket>,
///     ) -> ashore::Result<Related<Representative, Ticket>> {
///         let ids: Vec<Uuid> = reps.iter().map(|r| r.id).collect();
///         let tickets = ctx
///             .query
///             .clone()
///             .filter(expr!(representative_id in ^ids and priority == 5))
///             .read(ctx)
///             .await?;
///         Ok(Related::group_by(tickets, |t| t.representative_id))
///     }
/// }
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let reps = support
///     .read(
///         Representative::query()
///             .sort(Representative::name())
///             .load(Representative::urgent()),
///     )
///     .await?;
/// assert_eq!(subjects(reps[0].urgent.get()?), ["Printer on fire"]);
/// // Nothing came back for Bob: he gets an empty list.
/// assert!(reps[1].urgent.get()?.is_empty());
/// # Ok(()) }
/// ```
pub struct Related<S: Resource, D> {
    pub(crate) inner: RelatedInner<D>,
    _source: PhantomData<fn() -> S>,
}

pub(crate) enum RelatedInner<D> {
    /// Distinct keys, and the records of each key in the loader's order.
    Keyed {
        keys: Vec<Value>,
        groups: Vec<Vec<D>>,
    },
    /// One group per source record, in the order the records were given.
    Positional(Vec<Vec<D>>),
}

impl<S: Resource, D> fmt::Debug for Related<S, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            RelatedInner::Keyed { keys, .. } => write!(f, "Related({} keys)", keys.len()),
            RelatedInner::Positional(v) => write!(f, "Related({} groups by position)", v.len()),
        }
    }
}

impl<S: Resource, D> Related<S, D> {
    /// Groups `records` by the source key each belongs to (Ash's
    /// `Enum.group_by(& &1.representative_id)`); the key may be optional. Records
    /// of one key keep their order.
    ///
    /// A key that is not the primary key of a record given to the loader is an
    /// [`ErrorKind::KeyOfNoParent`](crate::ErrorKind::KeyOfNoParent), as when a
    /// loader returns every ticket of the domain though it was given only Bob;
    /// so is a nil key (a ticket with no representative belongs to no parent:
    /// leave such records out, or filter on the key as `representative_id in
    /// ^ids` does).
    pub fn group_by<K>(records: Vec<D>, key: impl Fn(&D) -> K) -> Self
    where
        K: Into<Option<S::PrimaryKey>>,
    {
        // Each record's group found in one pass over the records, by the
        // key's own type (`grouping`), then every record moved once into a
        // group allocated at its size, one group at a time (`gather`).
        let grouping = Grouping::of(&records, |r| key(r).into());
        let keys = grouping
            .firsts
            .iter()
            .map(|&i| {
                key(&records[i])
                    .into()
                    .map_or(Value::Null, Scalar::into_value)
            })
            .collect();
        let groups = gather(records, &grouping.slots, grouping.firsts.len());
        Related {
            inner: RelatedInner::Keyed { keys, groups },
            _source: PhantomData,
        }
    }

    /// From a map of source primary key to records (records of one key keep their
    /// order).
    pub fn from_map<H>(map: HashMap<S::PrimaryKey, Vec<D>, H>) -> Self {
        let (keys, groups) = map.into_iter().map(|(k, ds)| (k.into_value(), ds)).unzip();
        Related {
            inner: RelatedInner::Keyed { keys, groups },
            _source: PhantomData,
        }
    }

    /// One group per source record, in the order the records were given to
    /// `load`. Any other number of groups is an
    /// [`ErrorKind::PositionMismatch`](crate::ErrorKind::PositionMismatch).
    pub fn by_position(groups: Vec<Vec<D>>) -> Self {
        Related {
            inner: RelatedInner::Positional(groups),
            _source: PhantomData,
        }
    }

    /// Nothing for anyone: every source record gets `[]` (has_many) or `None`
    /// (has_one).
    pub fn empty() -> Self {
        Related {
            inner: RelatedInner::Keyed {
                keys: Vec::new(),
                groups: Vec::new(),
            },
            _source: PhantomData,
        }
    }
}
