//! Procedural macros of [ashore](https://docs.rs/ashore): `resource!` and
//! `#[derive(Resource)]` declare a resource, `expr!` writes a filter. Use them
//! through the `ashore` crate.
//!
//! This file holds the entry points only, one line each. The real code works on
//! `proc_macro2` tokens so it can be unit-tested. `expand` drives each macro
//! through the layers, each importing only the ones above it in this list:
//!
//! - `suggest` (did-you-mean, wording), `errors` (the one accumulator of a
//!   call's errors) and `spans` (generated tokens spanned over a user's type),
//!   the bottom;
//! - `expr`: the filter language, its syntax tree, parser and generated calls;
//! - `model`: the resource as declared, with the user's spans;
//! - `parse`: `resource!` (`parse::dsl`) or the derive's struct
//!   (`parse::derive`) -> model;
//! - `validate`: the rules across items;
//! - `generate`: model -> tokens;
//! - `expand`: the pipelines.

mod errors;
mod expand;
mod expr;
mod generate;
mod model;
mod names;
mod parse;
mod scalar;
mod spans;
mod suggest;
mod validate;

#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Declares a resource: a struct with attributes and relationships, its schema,
/// typed field references and relationship loaders.
///
/// ```ignore
/// resource! {
///     #[derive(Debug, Clone, PartialEq)]
///     pub struct Ticket {
///         attributes {
///             uuid_primary_key id;
///             attribute subject: String;
///             attribute priority: Option<i64>;
///         }
///         relationships {
///             belongs_to representative: Representative;
///             many_to_many tags: Tag {
///                 through TicketTag;
///             }
///         }
///     }
/// }
/// ```
///
/// `table "tickets";` names the table SQL data layers keep the resource in (by
/// default the snake_case of the struct's name); `not_stored;` declares a
/// resource no data layer keeps, whose records only manual loaders make (no
/// table; only manual relationships lead to it). Attribute items are
/// `uuid_primary_key name;`, `integer_primary_key name;` and
/// `attribute name: Type;` (`Option<T>` is nullable). Relationship items are
/// `belongs_to`, `has_one`, `has_many` or `many_to_many`, then `name: Destination`,
/// then `;` or `{ options }` with the options `source_attribute x;`,
/// `destination_attribute x;`, `filter <expr>;`, `sort key desc, other;`,
/// `manual <loader>;` (has_one, has_many), `through Join;`,
/// `source_attribute_on_join_resource x;` and
/// `destination_attribute_on_join_resource x;` (many_to_many),
/// `no_attributes;` (has_one, has_many: no key attributes, the `filter`
/// relates the records, `parent(x)` reading the source's `x`),
/// `condition <expr>;` (with `manual`: how the loader's records relate to a
/// source record, so filters and aggregates can go through it), and
/// `authorize_read_with error;` (or `filter;`, the default) on any relationship.
/// The two keys a relationship compares must have the same type, either side an
/// `Option` of it; another pair, or a default key the other resource lacks, is a
/// compile error on the option naming the key (the relationship's name for a
/// default).
///
/// Policies: `policies { policy <check> { authorize_if <check>; .. } .. }`,
/// each governing the actions its condition selects (`action_type(read)`,
/// `action_type(create, update, destroy)`, `always()`), with the effects
/// `authorize_if`, `forbid_if`, `authorize_unless`, `forbid_unless` and the
/// checks `always()`, `action_type(..)`, `actor_present()`,
/// `actor_attribute_equals(field, value)` and `expr(<filter>)`, where
/// `^actor(field)` and `^tenant()` stand for the request's actor and tenant.
/// Multitenancy: `multitenancy { attribute organization_id; global; }`.
/// Identities: `identities { identity unique_email [email]; identity
/// unique_name_per_rep [name, representative_id]; }`, each a unique index on
/// SQL layers (the tenant attribute first on a multitenant resource) and a
/// function `Ticket::unique_email()` for `upsert_on`.
/// Aggregates: `aggregates { count open_ticket_count: tickets { filter status
/// == "open"; } sum total_priority: tickets.priority as i64; avg mean:
/// tickets.priority; }` — kind (`count`, `exists`, `sum`, `min`, `max`,
/// `avg`, `first`, `list`), name, relationship path (then the field, for a
/// kind that reads one), `as T` (the field's type, for `sum`, `min`, `max`,
/// `first`, whose value is an `Option<T>`, and `list`, a `Vec<T>`), and an
/// optional `filter`; each a field
/// `Loaded<..>` of the struct and a function `Representative::total_priority()`
/// to load it with.
#[proc_macro]
pub fn resource(input: TokenStream) -> TokenStream {
    expand::resource(input.into()).into()
}

/// Declares a resource on a struct you write: the same resource as `resource!`,
/// its relationships on fields typed `Loaded<..>`.
///
/// ```ignore
/// #[derive(Debug, Clone, PartialEq, Resource)]
/// #[resource(table = "tickets")]
/// pub struct Ticket {
///     #[resource(uuid_primary_key)]
///     pub id: Uuid,
///     pub subject: String,
///     pub priority: Option<i64>,
///     pub representative_id: Option<Uuid>,
///     #[resource(belongs_to)]
///     pub representative: Loaded<Option<Representative>>,
///     #[resource(many_to_many(through = TicketTag, source_attribute_on_join_resource = ticket_id))]
///     pub tags: Loaded<Vec<Tag>>,
///     #[resource(has_many(filter(status == "open"), sort(priority desc, subject)))]
///     pub open_children: Loaded<Vec<Ticket>>,
/// }
/// ```
///
/// Every item of `resource!` has a spelling here:
///
/// | `resource!` | `#[derive(Resource)]` |
/// | --- | --- |
/// | `table "tickets";` | `#[resource(table = "tickets")]` on the struct |
/// | `not_stored;` | `#[resource(not_stored)]` on the struct |
/// | `uuid_primary_key id;` | `#[resource(uuid_primary_key)] id: Uuid` |
/// | `integer_primary_key id;` | `#[resource(integer_primary_key)] id: i64` |
/// | `attribute name: String;` | a plain field `name: String` |
/// | `belongs_to r: Rep;` (defines `r_id`) | `#[resource(belongs_to)] r: Loaded<Option<Rep>>`, and the field `r_id: Option<..>` (`Option` of `Rep`'s primary key type) |
/// | `has_one r: D;` | `#[resource(has_one)] r: Loaded<Option<D>>` |
/// | `has_many r: D;` | `#[resource(has_many)] r: Loaded<Vec<D>>` |
/// | `many_to_many r: D { through J; }` | `#[resource(many_to_many(through = J))] r: Loaded<Vec<D>>` |
/// | the destination `: D` | the field's type, or `destination = D` in the kind's `( )` |
/// | `source_attribute x;` | `source_attribute = x` |
/// | `destination_attribute x;` | `destination_attribute = x` |
/// | `filter <expr>;` | `filter(<expr>)` or `filter = "<expr>"` |
/// | `sort a desc, b;` | `sort(a desc, b)` or `sort = "a desc, b"` |
/// | `manual <loader>;` | `manual = <loader>` (has_one, has_many) |
/// | `through J;` | `through = J` (many_to_many) |
/// | `source_attribute_on_join_resource x;` | `source_attribute_on_join_resource = x` |
/// | `destination_attribute_on_join_resource x;` | `destination_attribute_on_join_resource = x` |
/// | `no_attributes;` | `no_attributes` (has_one, has_many) |
/// | `condition <expr>;` | `condition(<expr>)` or `condition = "<expr>"` (with `manual`) |
/// | `authorize_read_with error;` | `authorize_read_with = error` |
/// | `policy always() { authorize_if expr(a == ^actor(id)); }` | `#[resource(policy(always(), authorize_if(expr(a == ^actor(id)))))]` on the struct (repeatable) |
/// | `multitenancy { attribute org_id; global; }` | `#[resource(multitenancy(attribute = org_id, global))]` on the struct |
/// | `identities { identity unique_email [email]; }` | `#[resource(identity(unique_email, keys(email)))]` on the struct (repeatable) |
/// | `aggregates { count n: tickets { filter status == "open"; } }` | `#[resource(aggregate(count, tickets, filter(status == "open")))] n: Loaded<i64>` |
/// | `aggregates { sum total: tickets.priority as i64; }` | `#[resource(aggregate(sum, tickets.priority))] total: Loaded<Option<i64>>` |
///
/// Options go in the kind's parentheses, separated by commas:
/// `#[resource(has_many(manual = TicketsAboveThreshold, sort(priority desc)))]`.
/// Doc comments on fields become the docs of the field references. The
/// derive checks what `resource!` checks, and that the struct has every
/// belongs_to's foreign-key field, of a type matching the key it holds (a
/// compile error naming both types otherwise); relationship fields are
/// `Loaded<Vec<D>>` (has_many, many_to_many) or `Loaded<Option<D>>` (has_one,
/// belongs_to).
#[proc_macro_derive(Resource, attributes(resource))]
pub fn derive_resource(input: TokenStream) -> TokenStream {
    expand::derive_resource(input.into()).into()
}

/// A type of your own as an attribute type: implements `Scalar` (and
/// `NonNull`, so `Option<T>` is the nullable form).
///
/// - An enum of unit variants is stored as text, each variant as its name in
///   snake_case (`InProgress` → `"in_progress"`) or as
///   `#[scalar(rename = "..")]` gives; it compares as text (`status == "open"`,
///   `status == ^Status::Open`, `status in ^list`). Text that names no variant
///   is a type mismatch naming resource and attribute when read.
/// - A newtype, `struct Cents(i64);`, is stored and compared as the type it
///   wraps (which must not be an `Option`: declare the attribute
///   `Option<Cents>` for nil).
#[proc_macro_derive(Scalar, attributes(scalar))]
pub fn derive_scalar(input: TokenStream) -> TokenStream {
    scalar::derive(input.into()).into()
}

/// A filter in Ash's expression language, checked against the resource by the
/// compiler: `Ticket::query().filter(expr!(priority > 3 and status == "open"))`.
///
/// Operators, loosest first: `or` (`||`), `and` (`&&`), `not` (`!`), comparisons
/// `== != < <= > >=` and `in`, `+ -`, `* /`, prefix `-`. Operands: attributes
/// (`priority`, `representative.priority_threshold`), literals, pinned Rust values
/// (`^ids`, `^self.min`, `^Cents(100)`, `^name.len()`, `^(a + b)`), lists after
/// `in` of literals and pinned values (`[1, 2]`, `[1, ^n]`), `is_nil(x)`,
/// `exists(tickets, priority > 3)`, and the text functions `contains(a, b)`,
/// `starts_with(a, b)`, `ends_with(a, b)`, `like(a, "A%")`, `ilike(a, "a%")`,
/// `lower(a)`, `upper(a)`, `length(a)` and `concat(a, b, ..)` (their rules:
/// `ashore::text`).
#[proc_macro]
pub fn expr(input: TokenStream) -> TokenStream {
    expand::expr(input.into()).into()
}
