//! Pending relationship writes: [`Relate`] from [`Domain::relate`],
//! [`Domain::unrelate`] and [`Domain::replace`], and the related records a
//! [`Create`](super::Create) makes with its parent
//! ([`Create::with_related`](super::Create::with_related)), handed to the
//! engine (`engine/write/relationships.rs`) when awaited, each call in one
//! transaction.

use std::future::IntoFuture;
use std::sync::Arc;

use crate::changeset::Changeset;
use crate::data_layer::BoxFuture;
use crate::domain::{Domain, Scope};
use crate::engine::write::{self, Relink, Relinked};
use crate::error::Result;
use crate::rel::{AnyCardinality, Attach, Rel};
use crate::resource::{Actor, RelationshipKind, Resource};
use crate::value::Value;

use super::transaction::atomically;

/// A pending relationship write, from [`Domain::relate`],
/// [`Domain::unrelate`] or [`Domain::replace`]; `.await` it for how many
/// destination records it related and unrelated ([`Relinked`]). All of it
/// runs in one transaction (the caller's, inside
/// [`Domain::transaction`]), with a constant number of statements whatever
/// the number of records.
#[must_use = "a relationship write does nothing until awaited"]
pub struct Relate<S: Resource, D: Resource> {
    scope: Scope,
    rel: Rel<S, D, AnyCardinality>,
    source: Value,
    destinations: Vec<Value>,
    relink: Relink,
}

impl<S: Resource, D: Resource> Relate<S, D> {
    scope_setters! {
        /// Writes as this actor: any resource, or a type implementing [`Actor`].
        actor;
        /// Whether policies apply (Ash's `authorize?`); `true` unless set. The
        /// join resource's create and destroy policies (many_to_many), the
        /// destination's update policies (has_many) govern the write.
        authorize;
        /// The tenant: join records are created in it, and only its records
        /// are changed.
        tenant;
    }
}

impl<S: Resource, D: Resource> IntoFuture for Relate<S, D> {
    type Output = Result<Relinked>;
    type IntoFuture = BoxFuture<'static, Result<Relinked>>;
    fn into_future(self) -> Self::IntoFuture {
        let Relate {
            scope,
            rel,
            source,
            destinations,
            relink,
        } = self;
        let info = rel.info;
        let run = move |scope: Scope| async move {
            write::relink::<S, D>(&scope, info, source, destinations, relink).await
        };
        // One data-layer write (an unrelate, a has_many relate) is all or
        // nothing alone: no transaction to begin (on memory, a copy of the
        // store saved).
        let one_write = relink == Relink::Unrelate
            || (relink == Relink::Relate && info.kind == RelationshipKind::HasMany);
        if one_write {
            return Box::pin(run(scope));
        }
        Box::pin(atomically(scope, run))
    }
}

impl Domain {
    fn relate_with<S: Resource, D: Resource, C>(
        &self,
        source: &S,
        rel: Rel<S, D, C>,
        destinations: &[D],
        relink: Relink,
    ) -> Relate<S, D> {
        let info = rel.info;
        let source = S::schema()
            .attribute_index(info.source_attribute)
            .map_or(Value::Null, |i| source.get(i));
        // has_many: destinations are selected by primary key; many_to_many:
        // the join resource holds their destination attribute.
        let key = match info.through {
            Some(_) => D::schema().attribute_index(info.destination_attribute()),
            None => Some(D::schema().primary_key),
        };
        let destinations = destinations
            .iter()
            .map(|d| key.map_or(Value::Null, |i| d.get(i)))
            .collect();
        Relate {
            scope: Scope::new(self.clone()),
            rel: rel.any_cardinality(),
            source,
            destinations,
            relink,
        }
    }

    /// Relates `destinations` to `source` through `rel` (Ash's
    /// `manage_relationship` with `type: :append`): for a many_to_many, a
    /// join record created for each destination not related yet; for a
    /// has_many, each destination's foreign key set to `source`'s key (one
    /// update). Relating a record already related is not an error and
    /// changes nothing. belongs_to, has_one and manual relationships are an
    /// [`ErrorKind::InvalidQuery`](crate::ErrorKind::InvalidQuery).
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
    /// # helpdesk!();
    /// # #[tokio::main] async fn main() -> ashore::Result<()> {
    /// # let support = support().await?;
    /// let alice = representative(&support, "Alice").await?;
    /// let ticket = support
    ///     .create(Ticket::changeset().set(Ticket::subject(), "Toner low"))
    ///     .await?;
    /// let done = support
    ///     .relate(&alice, Representative::tickets(), &[ticket.clone()])
    ///     .await?;
    /// assert_eq!((done.related, done.unrelated), (1, 0));
    /// let found = support.get::<Ticket>(ticket.id).await?.unwrap();
    /// assert_eq!(found.representative_id, Some(alice.id));
    ///
    /// let done = support
    ///     .unrelate(&alice, Representative::tickets(), &[ticket])
    ///     .await?;
    /// assert_eq!((done.related, done.unrelated), (0, 1));
    /// # Ok(()) }
    /// ```
    pub fn relate<S: Resource, D: Resource, C>(
        &self,
        source: &S,
        rel: Rel<S, D, C>,
        destinations: &[D],
    ) -> Relate<S, D> {
        self.relate_with(source, rel, destinations, Relink::Relate)
    }

    /// Unrelates `destinations` from `source` through `rel` (Ash's
    /// `type: :remove`): for a many_to_many, their join records destroyed;
    /// for a has_many, their foreign key set to nil (a key that cannot be nil
    /// is an [`ErrorKind::InvalidQuery`](crate::ErrorKind::InvalidQuery)).
    /// Records not related are left alone.
    pub fn unrelate<S: Resource, D: Resource, C>(
        &self,
        source: &S,
        rel: Rel<S, D, C>,
        destinations: &[D],
    ) -> Relate<S, D> {
        self.relate_with(source, rel, destinations, Relink::Unrelate)
    }

    /// Makes `destinations` exactly the records related to `source` through
    /// `rel` (Ash's `type: :direct_control` on links): the others unrelated,
    /// as [`unrelate`](Self::unrelate) does, and the missing related, as
    /// [`relate`](Self::relate) does.
    pub fn replace<S: Resource, D: Resource, C>(
        &self,
        source: &S,
        rel: Rel<S, D, C>,
        destinations: &[D],
    ) -> Relate<S, D> {
        self.relate_with(source, rel, destinations, Relink::Replace)
    }
}

/// Records to create with their parent `S`, related to it: one
/// relationship's changesets, given to
/// [`Create::with_related`](super::Create::with_related).
pub(crate) trait Children<S>: Send {
    /// Checks the relationship is one a write can change, and what can be
    /// checked of the records before anything is written.
    fn check(&self) -> Result<()>;

    /// Creates them in `scope`, related to `parent`, and attaches them to it.
    fn create<'a>(
        self: Box<Self>,
        scope: &'a Scope,
        parent: &'a mut S,
    ) -> BoxFuture<'a, Result<()>>;
}

/// The changesets of `rel`'s destinations to create with a parent.
pub(crate) struct ChildrenOf<S, D: Resource> {
    pub(crate) rel: Rel<S, D, AnyCardinality>,
    pub(crate) changesets: Vec<Changeset<D>>,
}

impl<S: Resource, D: Resource> Children<S> for ChildrenOf<S, D> {
    fn check(&self) -> Result<()> {
        write::writable::<S>(self.rel.info)?;
        write::check_related::<S, D>(self.rel.info, &self.changesets)
    }

    fn create<'a>(
        self: Box<Self>,
        scope: &'a Scope,
        parent: &'a mut S,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let info = self.rel.info;
            let created =
                write::create_related::<S, D>(scope, info, parent, self.changesets).await?;
            // What was created is all the new parent has through `rel`, unless
            // the relationship's own filter would leave some out.
            if let (None, Attach::Many(attach)) = (info.filter, self.rel.attach) {
                attach(parent, created);
            }
            Ok(())
        })
    }
}

/// The parent created by `create`, then the related records of `children`.
pub(crate) async fn with_children<S: Resource>(
    scope: Scope,
    create: impl FnOnce(Scope) -> BoxFuture<'static, Result<S>> + Send + 'static,
    children: Vec<Box<dyn Children<S>>>,
) -> Result<S> {
    // A relationship no write can change, or a child refused for its values,
    // is refused before anything is written.
    for group in &children {
        group.check()?;
    }
    atomically(scope, move |scope| async move {
        let mut parent = create(scope.clone()).await?;
        for group in children {
            group.create(&scope, &mut parent).await?;
        }
        Ok(parent)
    })
    .await
}
