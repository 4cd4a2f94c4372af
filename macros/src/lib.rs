//! Procedural macros of [ashore](https://docs.rs/ashore): `resource!` declares a
//! resource, `expr!` writes a filter. Use them through the `ashore` crate.
//!
//! This file holds the entry points only. The real code works on
//! `proc_macro2` tokens so it can be unit-tested: `parse` turns `resource!` into
//! the `model`, `validate` checks it, `generate` emits the code, and `expr`
//! parses and generates filters for both macros.

mod expr;
mod generate;
mod model;
mod parse;
mod validate;

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
/// default the snake_case of the struct's name). Attribute items are
/// `uuid_primary_key name;`, `integer_primary_key name;` and
/// `attribute name: Type;` (`Option<T>` is nullable). Relationship items are
/// `belongs_to`, `has_one`, `has_many` or `many_to_many`, then `name: Destination`,
/// then `;` or `{ options }` with the options `source_attribute x;`,
/// `destination_attribute x;`, `filter <expr>;`, `sort key desc, other;`,
/// `manual <loader>;` (has_one, has_many), `through Join;`,
/// `source_attribute_on_join_resource x;` and
/// `destination_attribute_on_join_resource x;` (many_to_many).
#[proc_macro]
pub fn resource(input: TokenStream) -> TokenStream {
    generate::expand(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// A filter in Ash's expression language, checked against the resource by the
/// compiler: `Ticket::query().filter(expr!(priority > 3 and status == "open"))`.
///
/// Operators, loosest first: `or` (`||`), `and` (`&&`), `not` (`!`), comparisons
/// `== != < <= > >=` and `in`, `+ -`, `* /`, prefix `-`. Operands: attributes
/// (`priority`, `representative.priority_threshold`), literals, pinned Rust values
/// (`^ids`, `^self.min`, `^(a + b)`), lists after `in` (`[1, 2]`), `is_nil(x)` and
/// `exists(tickets, priority > 3)`.
#[proc_macro]
pub fn expr(input: TokenStream) -> TokenStream {
    expr::expand(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
