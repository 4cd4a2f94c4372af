//! A relationship as declared: its kind, destination and options as written
//! (repeated or misplaced ones included, for validation to judge), and the
//! methods that resolve Ash's defaults for it (the foreign key a belongs_to
//! defines and its type).

use std::cell::OnceCell;

use quote::format_ident;
use syn::ext::IdentExt;
use syn::{Ident, Type};

use super::type_name;
use crate::expr::Expr;

/// One relationship.
pub struct Relationship {
    /// Doc comments and attributes, passed to the relationship's field.
    pub attrs: Vec<syn::Attribute>,
    pub kind: RelKind,
    pub name: Ident,
    pub destination: Type,
    /// Options as written, in order.
    pub options: Vec<RelOption>,
    /// Whether an option could not be read (its error reported): the checks
    /// of what the options leave to defaults then say nothing more, since the
    /// option may have been the one that sets it.
    pub unreadable_options: bool,
    /// The type of a belongs_to's foreign key, made once on first use
    /// ([`Relationship::foreign_key_type`]): validation and generation ask for
    /// the columns several times per resource, and building the type (tokens
    /// respanned and parsed) was a fifth of the macro's run time.
    pub foreign_key_type: OnceCell<Type>,
}

/// The kind of a relationship.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RelKind {
    BelongsTo,
    HasOne,
    HasMany,
    ManyToMany,
}

impl RelKind {
    /// Every kind, in the order of the DSL's docs.
    pub const ALL: [RelKind; 4] = [
        RelKind::BelongsTo,
        RelKind::HasOne,
        RelKind::HasMany,
        RelKind::ManyToMany,
    ];

    /// The DSL keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            RelKind::BelongsTo => "belongs_to",
            RelKind::HasOne => "has_one",
            RelKind::HasMany => "has_many",
            RelKind::ManyToMany => "many_to_many",
        }
    }

    /// Whether a load attaches a list.
    pub fn is_many(self) -> bool {
        matches!(self, RelKind::HasMany | RelKind::ManyToMany)
    }
}

/// One relationship option: its keyword (for spans) and value.
pub struct RelOption {
    pub keyword: Ident,
    pub value: OptionValue,
}

/// The value of a relationship option, by option.
pub enum OptionValue {
    SourceAttribute(Ident),
    DestinationAttribute(Ident),
    Filter(Expr),
    Sort(Vec<SortKey>),
    /// Any Rust expression whose type implements `ManualRelationship`.
    Manual(syn::Expr),
    Through(Type),
    SourceAttributeOnJoinResource(Ident),
    DestinationAttributeOnJoinResource(Ident),
    AuthorizeReadWith(ReadWith),
    /// `no_attributes;`: the filter, with `parent(..)`, links the records.
    NoAttributes,
    /// `condition <expr>;`: how a manual relationship's records relate to the
    /// source, with `parent(..)`.
    Condition(Expr),
}

/// The value of `authorize_read_with`: what a load does with a related record
/// the actor may not read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReadWith {
    /// Leave it out (the default).
    Filter,
    /// Fail the load.
    Error,
}

impl ReadWith {
    /// Every value.
    pub const ALL: [ReadWith; 2] = [ReadWith::Filter, ReadWith::Error];

    /// The word that names it after `authorize_read_with`.
    pub fn keyword(self) -> &'static str {
        match self {
            ReadWith::Filter => "filter",
            ReadWith::Error => "error",
        }
    }
}

/// Which relationship option, without its value.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OptionKind {
    SourceAttribute,
    DestinationAttribute,
    Filter,
    Sort,
    Manual,
    Through,
    SourceAttributeOnJoinResource,
    DestinationAttributeOnJoinResource,
    AuthorizeReadWith,
    NoAttributes,
    Condition,
}

impl OptionKind {
    /// Every option, in the order of the DSL's docs.
    pub const ALL: [OptionKind; 11] = [
        OptionKind::SourceAttribute,
        OptionKind::DestinationAttribute,
        OptionKind::Filter,
        OptionKind::Sort,
        OptionKind::Manual,
        OptionKind::Through,
        OptionKind::SourceAttributeOnJoinResource,
        OptionKind::DestinationAttributeOnJoinResource,
        OptionKind::AuthorizeReadWith,
        OptionKind::NoAttributes,
        OptionKind::Condition,
    ];

    /// The DSL keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            OptionKind::SourceAttribute => "source_attribute",
            OptionKind::DestinationAttribute => "destination_attribute",
            OptionKind::Filter => "filter",
            OptionKind::Sort => "sort",
            OptionKind::Manual => "manual",
            OptionKind::Through => "through",
            OptionKind::SourceAttributeOnJoinResource => "source_attribute_on_join_resource",
            OptionKind::DestinationAttributeOnJoinResource => {
                "destination_attribute_on_join_resource"
            }
            OptionKind::AuthorizeReadWith => "authorize_read_with",
            OptionKind::NoAttributes => "no_attributes",
            OptionKind::Condition => "condition",
        }
    }

    /// Whether the option belongs to many_to_many only.
    pub fn is_join_option(self) -> bool {
        matches!(
            self,
            OptionKind::Through
                | OptionKind::SourceAttributeOnJoinResource
                | OptionKind::DestinationAttributeOnJoinResource
        )
    }
}

impl OptionValue {
    /// Which option this is the value of.
    pub fn kind(&self) -> OptionKind {
        match self {
            OptionValue::SourceAttribute(_) => OptionKind::SourceAttribute,
            OptionValue::DestinationAttribute(_) => OptionKind::DestinationAttribute,
            OptionValue::Filter(_) => OptionKind::Filter,
            OptionValue::Sort(_) => OptionKind::Sort,
            OptionValue::Manual(_) => OptionKind::Manual,
            OptionValue::Through(_) => OptionKind::Through,
            OptionValue::SourceAttributeOnJoinResource(_) => {
                OptionKind::SourceAttributeOnJoinResource
            }
            OptionValue::DestinationAttributeOnJoinResource(_) => {
                OptionKind::DestinationAttributeOnJoinResource
            }
            OptionValue::AuthorizeReadWith(_) => OptionKind::AuthorizeReadWith,
            OptionValue::NoAttributes => OptionKind::NoAttributes,
            OptionValue::Condition(_) => OptionKind::Condition,
        }
    }
}

/// One key of a `sort` option.
pub struct SortKey {
    pub field: Ident,
    pub order: Order,
}

/// The order of a sort key.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Order {
    Asc,
    Desc,
    AscNilsFirst,
    DescNilsLast,
}

impl Order {
    /// Every order.
    pub const ALL: [Order; 4] = [
        Order::Asc,
        Order::Desc,
        Order::AscNilsFirst,
        Order::DescNilsLast,
    ];

    /// The word that names it after a sort key.
    pub fn keyword(self) -> &'static str {
        match self {
            Order::Asc => "asc",
            Order::Desc => "desc",
            Order::AscNilsFirst => "asc_nils_first",
            Order::DescNilsLast => "desc_nils_last",
        }
    }
}

impl Relationship {
    /// The first value given for `kind`.
    pub fn option(&self, kind: OptionKind) -> Option<&OptionValue> {
        self.options
            .iter()
            .map(|o| &o.value)
            .find(|v| v.kind() == kind)
    }

    /// The attribute name given for `kind` (a key option), when given.
    pub fn ident_option(&self, kind: OptionKind) -> Option<&Ident> {
        match self.option(kind)? {
            OptionValue::SourceAttribute(i)
            | OptionValue::DestinationAttribute(i)
            | OptionValue::SourceAttributeOnJoinResource(i)
            | OptionValue::DestinationAttributeOnJoinResource(i) => Some(i),
            _ => None,
        }
    }

    /// The `manual` loader, when given.
    pub fn manual(&self) -> Option<&syn::Expr> {
        match self.option(OptionKind::Manual)? {
            OptionValue::Manual(e) => Some(e),
            _ => None,
        }
    }

    /// Whether it is declared `no_attributes`.
    pub fn no_attributes(&self) -> bool {
        self.option(OptionKind::NoAttributes).is_some()
    }

    /// A manual relationship's `condition`, when given.
    pub fn condition(&self) -> Option<&Expr> {
        match self.option(OptionKind::Condition)? {
            OptionValue::Condition(e) => Some(e),
            _ => None,
        }
    }

    /// The `filter`, when given.
    pub fn filter(&self) -> Option<&Expr> {
        match self.option(OptionKind::Filter)? {
            OptionValue::Filter(e) => Some(e),
            _ => None,
        }
    }

    /// The `sort` keys (none when not given).
    pub fn sort(&self) -> &[SortKey] {
        match self.option(OptionKind::Sort) {
            Some(OptionValue::Sort(keys)) => keys,
            _ => &[],
        }
    }

    /// The `authorize_read_with` option, `filter` by default.
    pub fn authorize_read_with(&self) -> ReadWith {
        match self.option(OptionKind::AuthorizeReadWith) {
            Some(OptionValue::AuthorizeReadWith(r)) => *r,
            _ => ReadWith::Filter,
        }
    }

    /// The `through` join resource, when given.
    pub fn through(&self) -> Option<&Type> {
        match self.option(OptionKind::Through)? {
            OptionValue::Through(t) => Some(t),
            _ => None,
        }
    }

    /// The attribute a belongs_to defines: `source_attribute`, default `<name>_id`.
    pub fn foreign_key(&self) -> Ident {
        self.ident_option(OptionKind::SourceAttribute)
            .cloned()
            .unwrap_or_else(|| format_ident!("{}_id", self.name.unraw(), span = self.name.span()))
    }

    /// The type of a belongs_to's foreign key: `Option` of the destination's
    /// primary key type, spanned as the whole destination (`spans::around`), so
    /// that an error about it marks `offices::Office`, not only `offices`. It
    /// names the runtime through the `__ashore` alias: a column's type is only
    /// emitted inside the `const _` block that declares it (`generate`), and
    /// each use there is then 10 tokens shorter.
    pub fn foreign_key_type(&self) -> &Type {
        self.foreign_key_type.get_or_init(|| {
            let fk = crate::spans::around(
                &self.destination,
                crate::spans::ends(&self.destination),
                |s| quote::quote_spanned!(s=> __ashore::Option< <),
                |s| quote::quote_spanned!(s=> as __ashore::Resource>::PrimaryKey>),
            );
            // Kept as tokens: nothing looks into it, and each use copies it
            // (`spans::settled`), where a parsed type is cloned node by node.
            Type::Verbatim(crate::spans::settled(fk))
        })
    }

    /// The name of the destination type (its last path segment).
    pub fn destination_name(&self) -> Option<&Ident> {
        type_name(&self.destination)
    }
}
