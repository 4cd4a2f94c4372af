//! The resource model: what a front end produces (`resource!` or
//! `#[derive(Resource)]`) and what validation and code generation consume.
//!
//! It is plain data holding the user's idents, types and keyword spans, so every
//! error and every generated compile-time check can point at the user's token. It
//! keeps things exactly as written (options in a list, repeated or misplaced ones
//! included, words the front end did not recognise in `unknown`): deciding what is
//! wrong is `validate`'s job, so every front end gets the same rules and messages.
//! The `Relationship` and `Resource` methods resolve Ash's defaults.

use proc_macro2::Span;
use quote::format_ident;
use syn::ext::IdentExt;
use syn::{Ident, Type, Visibility};

use crate::names::snake_case;

mod aggregates;
mod policies;
mod relationships;

pub use aggregates::{Aggregate, AggregateKind};

pub use policies::{ACTIONS, CHECKS, Check, CheckKind, Effect, Multitenancy, Policy, PolicyLine};
pub use relationships::{
    OptionKind, OptionValue, Order, ReadWith, RelKind, RelOption, Relationship, SortKey,
};

/// One resource.
pub struct Resource {
    /// Outer attributes and doc comments of the struct, passed through.
    pub attrs: Vec<syn::Attribute>,
    pub vis: Visibility,
    pub ident: Ident,
    /// The declared attributes, in order (belongs_to foreign keys not included:
    /// see [`Resource::columns`]).
    pub attributes: Vec<Attribute>,
    pub relationships: Vec<Relationship>,
    /// The aggregates, in order.
    pub aggregates: Vec<Aggregate>,
    /// The `table "name";` option: the table SQL data layers keep it in.
    pub table: Option<syn::LitStr>,
    /// The `not_stored;` option (`#[resource(not_stored)]`), by its keyword: no
    /// data layer keeps its records, which only manual loaders make.
    pub not_stored: Option<Ident>,
    /// The read policies, in order.
    pub policies: Vec<Policy>,
    /// Every `multitenancy` given (more than one is reported by validation).
    pub multitenancy: Vec<Multitenancy>,
    /// The identities (`identities { identity name [keys]; }`), in order.
    pub identities: Vec<Identity>,
    /// Words the front end could not place (reported by validation).
    pub unknown: Vec<Unknown>,
}

impl Resource {
    /// The table name: the `table` option, or the snake_case of the struct's name.
    pub fn table_name(&self) -> String {
        match &self.table {
            Some(t) => t.value(),
            None => snake_case(&self.ident.unraw().to_string()),
        }
    }
}

/// Which front end declared a resource: it decides the wording of the messages
/// that name the fix in the user's syntax.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FrontEnd {
    /// `resource! { .. }`: the macro writes the struct.
    Macro,
    /// `#[derive(Resource)]`: the user wrote the struct.
    Derive,
}

/// What `#[derive(Resource)]` knows beyond the model: the user's struct, which
/// already exists. Generation emits no struct for it, and fills the fields the
/// model does not hold (after an error: a field the derive could not place)
/// with a value that is never built, so the errors are the only ones.
pub struct DeriveStruct {
    /// Every field of the struct, in order.
    pub fields: Vec<Ident>,
}

/// One attribute.
#[derive(Clone)]
pub struct Attribute {
    /// Attributes and doc comments of the attribute, passed to the field.
    pub attrs: Vec<syn::Attribute>,
    pub name: Ident,
    /// The Rust type (for a primary key, the type its keyword implies).
    pub ty: Type,
    pub primary_key: Option<PrimaryKey>,
    /// Declared, or defined by a belongs_to.
    pub origin: Origin,
}

/// Where an attribute comes from.
#[derive(Clone)]
pub enum Origin {
    Declared,
    /// The foreign key of the belongs_to with this name.
    BelongsTo(Ident),
}

/// `uuid_primary_key` or `integer_primary_key`, with the keyword's span.
#[derive(Clone, Copy)]
pub struct PrimaryKey {
    pub kind: PrimaryKeyKind,
    pub keyword: Span,
}

/// The kind of a primary key, which decides its type.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PrimaryKeyKind {
    /// `Uuid`, a random v4 when not given.
    Uuid,
    /// `i64`, assigned by the data layer.
    Integer,
}

impl PrimaryKeyKind {
    /// The keyword (`resource!`) or option (`#[resource(..)]`) that declares it.
    pub fn keyword(self) -> &'static str {
        match self {
            PrimaryKeyKind::Uuid => "uuid_primary_key",
            PrimaryKeyKind::Integer => "integer_primary_key",
        }
    }

    /// The Rust type of the key, as written in a struct.
    pub fn type_name(self) -> &'static str {
        match self {
            PrimaryKeyKind::Uuid => "Uuid",
            PrimaryKeyKind::Integer => "i64",
        }
    }
}

/// One identity: `identity unique_email [email];` in `resource!`,
/// `#[resource(identity(unique_email, keys(email)))]` in a derive. Its keys as
/// written (unknown, repeated or none: reported by validation).
pub struct Identity {
    /// Its name, which also names the generated `Ticket::unique_email()`.
    pub name: Ident,
    /// The attributes whose values together identify a record.
    pub keys: Vec<Ident>,
    /// Where the keys are written (`[..]`, `keys(..)`), for an error about
    /// all of them; `None` when the front end found none and said so.
    pub keys_span: Option<Span>,
    /// Its doc comments (`resource!`), for the generated function; without
    /// any, the function says what the identity is.
    pub docs: Vec<syn::Attribute>,
}

/// A word the front end found where a keyword was expected.
pub struct Unknown {
    pub place: Place,
    pub word: Ident,
}

/// Where an unknown word stood, which decides what was expected there.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Place {
    /// In the struct body, where `attributes { }` and `relationships { }` go.
    Block,
    /// In `attributes { }`.
    Attribute,
    /// In `relationships { }`.
    Relationship,
    /// In a relationship's `{ }`.
    Option,
    /// After a `sort` key.
    SortOrder,
    /// In `policies { }`, where `policy` goes.
    Policies,
    /// At the start of a policy's line, where `authorize_if` and the like go.
    PolicyLine,
    /// Where a check goes (`always()`, `expr(..)`, ..).
    Check,
    /// In `multitenancy { }`.
    Multitenancy,
    /// In `identities { }`, where `identity` goes.
    Identities,
    /// After `authorize_read_with`.
    ReadWith,
}

impl Resource {
    /// The primary key attribute and its index among [`Resource::columns`] (the
    /// first one, when several are declared).
    pub fn primary_key(&self) -> Option<(usize, &Attribute)> {
        self.attributes
            .iter()
            .enumerate()
            .find(|(_, a)| a.primary_key.is_some())
    }

    /// Every attribute in schema order: the declared ones, then the foreign keys of
    /// belongs_to relationships not declared explicitly (in relationship order, a
    /// name once), typed as the destination's primary key (see `generate::structs`).
    pub fn columns(&self) -> Vec<Attribute> {
        let mut columns = self.attributes.clone();
        for (rel, name) in self.added_foreign_keys() {
            let ty = rel.foreign_key_type().clone();
            columns.push(Attribute {
                attrs: Vec::new(),
                name,
                ty,
                primary_key: None,
                origin: Origin::BelongsTo(rel.name.clone()),
            });
        }
        columns
    }

    /// The names of [`Resource::columns`], in order, each with where it comes
    /// from: what validation compares names with, without copying every type.
    pub fn column_names(&self) -> Vec<(Ident, Origin)> {
        let declared = self
            .attributes
            .iter()
            .map(|a| (a.name.clone(), a.origin.clone()));
        let added = self
            .added_foreign_keys()
            .map(|(rel, name)| (name, Origin::BelongsTo(rel.name.clone())));
        declared.chain(added).collect()
    }

    /// Each belongs_to whose foreign key is not a declared attribute, with the
    /// key's name (a name once, the first belongs_to's).
    fn added_foreign_keys(&self) -> impl Iterator<Item = (&Relationship, Ident)> {
        let mut seen: Vec<Ident> = Vec::new();
        self.relationships
            .iter()
            .filter(|rel| rel.kind == RelKind::BelongsTo)
            .filter_map(move |rel| {
                let name = rel.foreign_key();
                // Compared as a string: two idents compare by formatting both.
                let key = name.to_string();
                if self.attributes.iter().any(|a| a.name == key) || seen.contains(&name) {
                    return None;
                }
                seen.push(name.clone());
                Some((rel, name))
            })
    }

    /// The source attribute of `rel`, its default resolved: a belongs_to's foreign
    /// key, otherwise the primary key (`id` if there is none, for error recovery).
    pub fn source_attribute(&self, rel: &Relationship) -> Ident {
        if rel.kind == RelKind::BelongsTo {
            return rel.foreign_key();
        }
        if let Some(explicit) = rel.ident_option(OptionKind::SourceAttribute) {
            return explicit.clone();
        }
        let mut pk = self
            .primary_key()
            .map_or_else(|| format_ident!("id"), |(_, a)| a.name.clone());
        pk.set_span(rel.name.span());
        pk
    }

    /// The destination attribute of `rel`, its default resolved; `None` means the
    /// destination's primary key. Defaults carry the relationship name's span.
    pub fn destination_attribute(&self, rel: &Relationship) -> Option<Ident> {
        if let Some(explicit) = rel.ident_option(OptionKind::DestinationAttribute) {
            return Some(explicit.clone());
        }
        match rel.kind {
            RelKind::HasOne | RelKind::HasMany
                if rel.manual().is_none() && !rel.no_attributes() =>
            {
                Some(format_ident!(
                    "{}_id",
                    snake_case(&self.ident.unraw().to_string()),
                    span = rel.name.span()
                ))
            }
            _ => None,
        }
    }

    /// A many_to_many's attributes on the join resource: holding the source's key
    /// (default `<snake source>_id`) and the destination's (default
    /// `<snake destination>_id`).
    pub fn join_attributes(&self, rel: &Relationship) -> (Ident, Ident) {
        let span = rel.name.span();
        let source = rel
            .ident_option(OptionKind::SourceAttributeOnJoinResource)
            .cloned()
            .unwrap_or_else(|| {
                format_ident!(
                    "{}_id",
                    snake_case(&self.ident.unraw().to_string()),
                    span = span
                )
            });
        let destination = rel
            .ident_option(OptionKind::DestinationAttributeOnJoinResource)
            .cloned()
            .unwrap_or_else(|| {
                let dest = rel
                    .destination_name()
                    .map_or_else(|| "destination".to_owned(), |i| i.unraw().to_string());
                format_ident!("{}_id", snake_case(&dest), span = span)
            });
        (source, destination)
    }
}

/// The last path segment of a type (`Ticket` in `crate::helpdesk::Ticket`).
pub fn type_name(ty: &Type) -> Option<&Ident> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| &s.ident),
        Type::Group(g) => type_name(&g.elem),
        Type::Paren(p) => type_name(&p.elem),
        _ => None,
    }
}

/// The name of an ident as the schema records it (`r#type` is `type`).
pub fn name_of(ident: &Ident) -> String {
    // One formatting of the ident (`unraw` formats it once more): in a proc
    // macro, each asks the compiler's interner (`benches/compile_time/`).
    let name = ident.to_string();
    match name.strip_prefix("r#") {
        Some(unraw) => unraw.to_owned(),
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_of_type_names() {
        assert_eq!(snake_case("Representative"), "representative");
        assert_eq!(snake_case("TicketTag"), "ticket_tag");
        assert_eq!(snake_case("HTTPServer"), "http_server");
        assert_eq!(snake_case("Ticket2Tag"), "ticket2_tag");
        assert_eq!(snake_case("A"), "a");
    }
}
