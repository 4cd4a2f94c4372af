//! The fields of a resource's generated `Fields` struct, which `expr!` reads.
//! The struct is zero-sized: one `pub` field per attribute ([`Attr`],
//! [`ForeignKey`]),
//! relationship ([`Relationship`], or [`ManualWithoutCondition`] for a manual
//! one without a `condition`) and aggregate ([`AggregateField`]), each a
//! zero-sized marker typed by what it names. `expr!` knows every path and name
//! from its own tokens, so it builds them itself and reads a field only for
//! its type and for rustc's check that it exists (an unknown name is rustc's
//! "no field `x` on type `&XFields`", with the fields there are). The
//! functions here turn a field's type into the typed [`Term`] a filter takes:
//! [`field`] for a value, [`through`] for a hop, [`exists`], [`parent`].
//!
//! No field carries data, so the struct costs rustc no function body per
//! name, and its `Fields` impl is empty (`Fields::VALUE` is the trait's
//! default): an incremental build of a schema with many resources checks
//! neither where it checked a method per field (`benches/compile_time/`).

use std::marker::PhantomData;

use crate::expr::{Aggregate, Comparable, Condition, Expr, Fields, Name, Operand, Path, Term};
use crate::resource::Resource;
use crate::scalar::{Scalar, kind};

/// Implements `Clone`, `Copy` and a `NEW` constant for a zero-sized marker
/// whose parameters need no bound (a derive would require them).
macro_rules! marker {
    ($name:ident<$($p:ident),*> $field:ident) => {
        impl<$($p),*> $name<$($p),*> {
            /// The marker.
            pub const NEW: Self = $name { $field: PhantomData };
        }
        impl<$($p),*> Clone for $name<$($p),*> {
            fn clone(&self) -> Self {
                *self
            }
        }
        impl<$($p),*> Copy for $name<$($p),*> {}
    };
}

/// The field of an attribute of Rust type `T` in a `Fields` struct.
pub struct Attr<T> {
    _type: PhantomData<T>,
}
marker!(Attr<T> _type);

/// The field of a foreign key `resource!` adds for a belongs_to to `D`, typed
/// as `D`'s primary key: named without `<D as Resource>::PrimaryKey`, so that
/// a destination that is not a resource is not reported again here (see
/// `foreign_key`).
pub struct ForeignKey<D> {
    _destination: PhantomData<D>,
}
marker!(ForeignKey<D> _destination);

/// The field of a relationship to the resource `D` in a `Fields` struct: the
/// destination's fields are one [`through`] away. (Named by the destination,
/// not its `Fields`, for the same reason as [`ForeignKey`].)
pub struct Relationship<D> {
    _destination: PhantomData<D>,
}
marker!(Relationship<D> _destination);

/// The field of a manual relationship without a `condition` to the resource
/// `D`: nothing a filter, `exists` or aggregate can go through ([`through`]
/// refuses it at compile time; [`Hop`] is what it lacks).
pub struct ManualWithoutCondition<D> {
    _destination: PhantomData<D>,
}
marker!(ManualWithoutCondition<D> _destination);

/// The field of an aggregate of resource `R` whose value is a `T`: a filter
/// operand of `T`'s kind, built from `R`'s [`Aggregates`].
pub struct AggregateField<R, T> {
    _of: PhantomData<(fn() -> R, T)>,
}
marker!(AggregateField < R, T > _of);

/// The aggregates of a resource, by name: what a filter naming one of them
/// reads (generated for a resource with aggregates).
pub trait Aggregates {
    /// The aggregate `name` (one the resource declares).
    fn aggregate(name: &str) -> Aggregate;
}

/// The path `expr!` wrote before a name, as an [`Expr`] path.
fn path(names: &[&'static str]) -> Path {
    names.iter().map(|&n| Name::Borrowed(n)).collect()
}

/// What a field names that can be a value in a filter: an attribute or an
/// aggregate.
#[diagnostic::on_unimplemented(
    message = "a relationship cannot be used as a value in a filter",
    label = "a relationship, not a value",
    note = "name one of its attributes, like `representative.id`, or test for related records with `exists(tickets, ..)`"
)]
pub trait Leaf {
    /// What it compares with.
    type Kind;
    /// It, reached through `path`, named `name`.
    fn expr(path: Path, name: &'static str) -> Expr;
}

#[diagnostic::do_not_recommend]
impl<A: Attribute> Leaf for A {
    type Kind = A::Kind;
    fn expr(path: Path, name: &'static str) -> Expr {
        Expr::Attr {
            path,
            name: Name::Borrowed(name),
        }
    }
}

impl<R: Aggregates, T: Scalar> Leaf for AggregateField<R, T> {
    type Kind = T::Kind;
    fn expr(path: Path, name: &'static str) -> Expr {
        Expr::Aggregate {
            at: path,
            aggregate: Box::new(R::aggregate(name)),
        }
    }
}

/// The field of an attribute: what an aggregate that reads a field (`sum`,
/// `min`, `max`, `avg`, `first`, `list`) reads, and a [`Leaf`].
#[diagnostic::on_unimplemented(
    message = "an aggregate reads an attribute of the destination, not a relationship",
    label = "not an attribute",
    note = "name the relationships, then the attribute: `tickets.priority`"
)]
pub trait Attribute {
    /// What it compares with.
    type Kind;
}

impl<T: Scalar> Attribute for Attr<T> {
    type Kind = T::Kind;
}

impl<D: Resource> Attribute for ForeignKey<D> {
    type Kind = <D::PrimaryKey as Scalar>::Kind;
}

/// The attribute or aggregate `name` reached through `path`, typed by the
/// kind of its field (`expr!`'s `representative.priority_threshold`).
pub fn field<L: Leaf>(_field: &L, path: &[&'static str], name: &'static str) -> Term<L::Kind> {
    Term::new(L::expr(self::path(path), name))
}

/// A hop of a filter's path, of an `exists` or of an aggregate: the fields of
/// the relationship's destination. An attribute is refused here, on its name,
/// with [`EndsAPath`]'s message, and its type is then unknown to rustc, so
/// nothing after it is reported again.
pub fn through<H: Hop>(_hop: &H) -> H::Fields {
    H::FIELDS
}

/// What a path may go through: a relationship a filter can follow.
#[diagnostic::on_unimplemented(
    message = "a filter, `exists` or aggregate cannot go through a manual relationship without a `condition`",
    label = "manual, with no `condition`",
    note = "say how its records relate to the source record in its declaration, as a filter on them that reads the source with `parent(..)`: `condition representative_id == parent(id);` (`condition(..)` in a derive); loads still call its loader"
)]
pub trait Hop {
    /// The destination's fields.
    type Fields;
    /// Them.
    const FIELDS: Self::Fields;
}

#[diagnostic::do_not_recommend]
impl<D: Resource> Hop for Relationship<D> {
    type Fields = D::Fields;
    const FIELDS: D::Fields = D::Fields::VALUE;
}

// An attribute ends a path: it is a `Hop` only for a type that is an
// `EndsAPath`, which none is, so rustc reports that trait's message rather
// than `Hop`'s (which is about manual relationships); the destination's
// fields are `EndsAPath`'s, which rustc cannot name, so the names after the
// attribute (or `exists(..)`'s body) are not reported as well.
impl<T: EndsAPath> Hop for Attr<T> {
    type Fields = T::Fields;
    const FIELDS: T::Fields = T::FIELDS;
}

// On `PhantomData<D>`, not on `D`: rustc would otherwise point at the
// destination's declaration as the type that is no `EndsAPath`.
impl<D> Hop for ForeignKey<D>
where
    PhantomData<D>: EndsAPath,
{
    type Fields = <PhantomData<D> as EndsAPath>::Fields;
    const FIELDS: Self::Fields = <PhantomData<D> as EndsAPath>::FIELDS;
}

/// Implemented by no type: what an attribute in the middle of a path, or as
/// `exists(..)`'s path, is refused with (see [`through`]).
#[diagnostic::on_unimplemented(
    message = "an attribute ends a path: a filter, `exists` or aggregate goes on through relationships only",
    label = "an attribute, not a relationship",
    note = "name the attribute last (`representative.priority_threshold`), or test for related records with `exists(tickets, ..)`"
)]
pub trait EndsAPath {
    /// Never named.
    type Fields;
    /// Never built.
    const FIELDS: Self::Fields;
}

/// Proof that an aggregate's path names relationships.
#[diagnostic::on_unimplemented(
    message = "an aggregate's path goes through relationships, not through an attribute or a manual relationship without a `condition`",
    label = "not a relationship an aggregate can go through",
    note = "name the relationships, then (for `sum`, `min`, `max`, `avg`, `first`) the field: `tickets.priority`",
    note = "a manual relationship needs a `condition` (`condition representative_id == parent(id);`) for an aggregate to go through it"
)]
pub trait Relationships {
    /// The destination's fields.
    type Fields: Fields;
}

#[diagnostic::do_not_recommend]
impl<D: Resource> Relationships for Relationship<D> {
    type Fields = D::Fields;
}

/// `exists(path, body)`: `body` is evaluated on the related record; `related`
/// is the relationship's destination's fields, reached through `path`.
pub fn exists<F: Fields, B: Operand>(
    related: F,
    path: &[&'static str],
    body: impl FnOnce(&F) -> B,
) -> Term<kind::Bool>
where
    B::Kind: Condition,
{
    let inner = body(&related).into_expr();
    Term::new(Expr::Exists {
        path: self::path(path),
        expr: Box::new(inner),
    })
}

/// The fields of `S`, the source of a `no_attributes` relationship, which its
/// filter's `parent(x)` reads (`parent(&p.x, "x")`).
pub fn parent_fields<S: Resource>() -> S::Fields {
    S::Fields::VALUE
}

/// `parent(x)`: attribute `x` of the relationship's source, as an operand of
/// its kind in the destination's filter.
pub fn parent<A: ParentAttribute>(_attribute: &A, name: &'static str) -> Term<A::Kind> {
    Term::new(Expr::Parent(Name::Borrowed(name)))
}

/// An attribute of a relationship's source, as `parent(..)` takes it.
#[diagnostic::on_unimplemented(
    message = "`parent(..)` takes an attribute of the relationship's source, not a relationship",
    label = "not an attribute",
    note = "a relationship is not a value: `parent(..)` names one attribute, like `parent(id)`"
)]
pub trait ParentAttribute {
    /// What it compares with.
    type Kind;
}

// The same two impls as `Attribute`'s, on purpose: a blanket
// `impl<A: Attribute> ParentAttribute for A` reports `parent(tickets)` twice,
// the second time with `Attribute`'s message (about aggregates), from the
// `Kind` projection in `parent`'s return type (fifteenth session).
impl<T: Scalar> ParentAttribute for Attr<T> {
    type Kind = T::Kind;
}

impl<D: Resource> ParentAttribute for ForeignKey<D> {
    type Kind = <D::PrimaryKey as Scalar>::Kind;
}

/// Checks that a name `resource!` is given as a sort key is an attribute: a
/// relationship named there is reported as such, and an attribute whose values
/// have no order (a JSON document) as `Comparable`'s error. (Relationship keys
/// are checked by [`keys_match`](super::keys_match).)
pub fn attribute_key<T: AttributeKey>(_: &T) {}

/// Implemented by attribute fields only (see [`attribute_key`]).
#[diagnostic::on_unimplemented(
    message = "this names a relationship, where an attribute is needed",
    label = "a relationship, not an attribute",
    note = "sort keys name attributes of the destination"
)]
pub trait AttributeKey {}
// Not `do_not_recommend`: an attribute with no order is reported by its
// unmet bound (`Comparable`), not as a relationship.
impl<T: Scalar> AttributeKey for Attr<T> where T::Kind: Comparable {}
#[diagnostic::do_not_recommend]
impl<D> AttributeKey for ForeignKey<D> {}
#[diagnostic::do_not_recommend]
impl<R, T> AttributeKey for AggregateField<R, T> {}
