//! The options inside `#[resource(..)]` of `#[derive(Resource)]`, as darling
//! `FromMeta` values: on the struct `table = ".."`; on a field
//! `uuid_primary_key`, `integer_primary_key`, or a relationship kind with its
//! options (`has_many(destination = Ticket, manual = Loader, ..)`). The struct's
//! `policy(..)` and `multitenancy(..)` are in `policies.rs`, `identity(..)` in
//! `identities.rs`.
//!
//! Both parse every item on its own and keep what parses: an error (carried in
//! `errors`, for the caller to report) costs that item only, so the field still
//! makes it into the model and one mistake does not cascade. Option values keep
//! the user's tokens, so later errors (a missing attribute, a type mismatch in a
//! filter) still point at them. Repeated and misplaced relationship options are
//! kept as written, for validation to report exactly as it does for `resource!`.

use darling::FromMeta;
use darling::ast::NestedMeta;
use proc_macro2::{Punct, Spacing, Span, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Expr, Ident, Lit, Meta, Token, Type};

use super::{error, identities, policies};
use crate::expr;
use crate::model::{
    Identity, Multitenancy, OptionKind, OptionValue, Policy, PrimaryKey, PrimaryKeyKind, RelKind,
    RelOption, SortKey, Unknown,
};
use crate::parse::syntax::{SortKeySyntax, read_with, sort_keys};
use crate::suggest::did_you_mean;

/// The names `#[resource(..)]` takes on a field.
pub const FIELD_OPTIONS: [&str; 7] = [
    "uuid_primary_key",
    "integer_primary_key",
    "belongs_to",
    "has_one",
    "has_many",
    "many_to_many",
    "aggregate",
];

/// The names a relationship kind takes in its `( )`: `destination` and the
/// options of `resource!`.
pub const RELATIONSHIP_OPTIONS: [&str; 12] = [
    "destination",
    "source_attribute",
    "destination_attribute",
    "filter",
    "sort",
    "manual",
    "through",
    "source_attribute_on_join_resource",
    "destination_attribute_on_join_resource",
    "authorize_read_with",
    "no_attributes",
    "condition",
];

/// The names `#[resource(..)]` takes on the struct.
pub const STRUCT_OPTIONS: [&str; 5] = ["table", "not_stored", "policy", "multitenancy", "identity"];

/// What `#[resource(..)]` says about the struct.
#[derive(Default)]
pub struct ResourceOptions {
    /// `table = "tickets"`.
    pub table: Option<syn::LitStr>,
    /// `not_stored`, by its word.
    pub not_stored: Option<Ident>,
    /// `policy(..)`, in order.
    pub policies: Vec<Policy>,
    /// Every `multitenancy(..)` (more than one is reported by validation).
    pub multitenancy: Vec<Multitenancy>,
    /// `identity(..)`, in order.
    pub identities: Vec<Identity>,
    /// Unknown checks, policy line keywords and multitenancy items.
    pub unknown: Vec<Unknown>,
    /// Items that could not be parsed (the others are kept).
    pub errors: Vec<darling::Error>,
}

impl FromMeta for ResourceOptions {
    /// Never fails: errors are kept in `errors`, with everything that parsed.
    fn from_list(items: &[NestedMeta]) -> darling::Result<Self> {
        let mut options = ResourceOptions::default();
        for item in items {
            let parsed = item_name(item, "table = \"tickets\"").and_then(|(meta, word)| {
                if word == "policy" {
                    let policy =
                        policies::policy(meta, word, &mut options.unknown, &mut options.errors);
                    options.policies.extend(policy);
                    return Ok(());
                }
                if word == "multitenancy" {
                    let tenancy = policies::multitenancy(
                        meta,
                        word,
                        &mut options.unknown,
                        &mut options.errors,
                    );
                    options.multitenancy.push(tenancy);
                    return Ok(());
                }
                if word == "identity" {
                    let identity = identities::identity(meta, &mut options.errors);
                    options.identities.extend(identity);
                    return Ok(());
                }
                if word == "not_stored" {
                    if !matches!(meta, Meta::Path(_)) {
                        return Err(error(
                            meta,
                            "`not_stored` takes no value: `#[resource(not_stored)]`",
                        ));
                    }
                    if options.not_stored.is_some() {
                        return Err(error(word, "`not_stored` is given twice: keep one"));
                    }
                    options.not_stored = Some(word.clone());
                    return Ok(());
                }
                if word != "table" {
                    return Err(darling::Error::unknown_field_with_alts(
                        &word.to_string(),
                        &STRUCT_OPTIONS,
                    )
                    .with_span(word));
                }
                let value = expr_value(meta, "table = \"tickets\"")?;
                let name = syn::LitStr::from_expr(value).map_err(|_| {
                    error(
                        value,
                        "expected the table's name as a string: `table = \"tickets\"`",
                    )
                })?;
                if options.table.is_some() {
                    return Err(error(word, "`table` is given twice: keep one"));
                }
                options.table = Some(name);
                Ok(())
            });
            if let Err(e) = parsed {
                options.errors.push(e);
            }
        }
        Ok(options)
    }
}

/// What `#[resource(..)]` says about one field.
#[derive(Default)]
pub struct FieldOptions {
    /// `uuid_primary_key` or `integer_primary_key`.
    pub primary_key: Option<PrimaryKey>,
    /// A relationship kind and its options.
    pub relationship: Option<RelSpec>,
    /// `aggregate(..)`: its tokens, where they end, and its keyword.
    pub aggregate: Option<(TokenStream, Span, Ident)>,
    /// Items that could not be parsed (the others are kept).
    pub errors: Vec<darling::Error>,
}

/// A relationship declared on a field: `has_many` or `has_many(options)`.
pub struct RelSpec {
    /// `belongs_to`, `has_one`, `has_many` or `many_to_many`.
    pub kind: RelKind,
    /// `destination = Ticket`, when given (otherwise the field's type tells).
    pub destination: Option<Type>,
    /// The options as written, in order.
    pub options: Vec<RelOption>,
    /// Unknown sort orders (the key is kept, ascending) and
    /// `authorize_read_with` values (read as `filter`).
    pub unknown: Vec<Unknown>,
    /// Whether an option could not be read (see the model's field).
    pub unreadable_options: bool,
}

/// A field option, once its name is known.
enum FieldItem {
    PrimaryKey(PrimaryKeyKind),
    Relationship(RelKind),
    Aggregate,
}

fn field_item(name: &str) -> Option<FieldItem> {
    Some(match name {
        "uuid_primary_key" => FieldItem::PrimaryKey(PrimaryKeyKind::Uuid),
        "integer_primary_key" => FieldItem::PrimaryKey(PrimaryKeyKind::Integer),
        "aggregate" => FieldItem::Aggregate,
        _ => FieldItem::Relationship(RelKind::ALL.into_iter().find(|k| k.keyword() == name)?),
    })
}

/// The item's name, or an error for a literal or a path of several segments.
fn item_name<'a>(item: &'a NestedMeta, example: &str) -> darling::Result<(&'a Meta, &'a Ident)> {
    let meta = match item {
        NestedMeta::Meta(meta) => meta,
        NestedMeta::Lit(lit) => {
            return Err(error(lit, format!("expected an option, like `{example}`")));
        }
    };
    match meta.path().get_ident() {
        Some(ident) => Ok((meta, ident)),
        None => Err(error(
            meta.path(),
            format!("expected an option name, like `{example}`"),
        )),
    }
}

impl FromMeta for FieldOptions {
    /// Never fails: errors are kept in `errors`, with everything that parsed.
    fn from_list(items: &[NestedMeta]) -> darling::Result<Self> {
        let mut options = FieldOptions::default();
        for item in items {
            let (meta, word) = match item_name(item, "has_many(destination = Ticket)") {
                Ok(found) => found,
                Err(e) => {
                    options.errors.push(e);
                    continue;
                }
            };
            let name = word.to_string();
            let item = match field_item(&name) {
                Some(item) => item,
                None => {
                    options.errors.push(
                        darling::Error::unknown_field_with_alts(&name, &FIELD_OPTIONS)
                            .with_span(word),
                    );
                    // Read it as the suggestion, so its options are still checked
                    // and the field is not lost.
                    match did_you_mean(&name, FIELD_OPTIONS).and_then(field_item) {
                        Some(item) => item,
                        None => continue,
                    }
                }
            };
            match item {
                FieldItem::PrimaryKey(kind) => options.primary_key(meta, word, kind),
                FieldItem::Relationship(kind) => options.relationship(meta, word, kind),
                FieldItem::Aggregate => options.aggregate(meta, word),
            }
        }
        Ok(options)
    }
}

impl FieldOptions {
    fn aggregate(&mut self, meta: &Meta, word: &Ident) {
        let message = if self.aggregate.is_some() {
            "`aggregate` is given twice: a field holds one aggregate".to_owned()
        } else if self.primary_key.is_some() || self.relationship.is_some() {
            "this field is already an attribute or a relationship: an aggregate is a field of \
             its own, typed `Loaded<..>`"
                .to_owned()
        } else {
            match meta {
                Meta::List(list) => {
                    let end = list.delimiter.span().close();
                    self.aggregate = Some((list.tokens.clone(), end, word.clone()));
                    return;
                }
                _ => "write the aggregate in parentheses: `aggregate(count, tickets)`".to_owned(),
            }
        };
        self.errors.push(error(word, message));
    }

    fn primary_key(&mut self, meta: &Meta, word: &Ident, kind: PrimaryKeyKind) {
        let keyword = kind.keyword();
        if !matches!(meta, Meta::Path(_)) {
            let message = format!("`{keyword}` takes no value: write `#[resource({keyword})]`");
            self.errors.push(error(word, message));
            // Read as the key all the same, when nothing else claims the
            // field: one error, not a second "has no primary key".
            if self.primary_key.is_none() && self.relationship.is_none() {
                self.primary_key = Some(PrimaryKey {
                    kind,
                    keyword: word.span(),
                });
            }
            return;
        }
        let message = if let Some(first) = self.primary_key {
            if first.kind == kind {
                format!("`{keyword}` is given twice: keep one")
            } else {
                format!(
                    "this field is already the `{}`: keep `{}` or `{keyword}`",
                    first.kind.keyword(),
                    first.kind.keyword()
                )
            }
        } else if let Some(rel) = &self.relationship {
            format!(
                "this field is already a `{}` relationship: the primary key is a field of its \
                 own (`id: {}`)",
                rel.kind.keyword(),
                kind.type_name()
            )
        } else {
            self.primary_key = Some(PrimaryKey {
                kind,
                keyword: word.span(),
            });
            return;
        };
        self.errors.push(error(word, message));
    }

    fn relationship(&mut self, meta: &Meta, word: &Ident, kind: RelKind) {
        let keyword = kind.keyword();
        let message = if let Some(first) = &self.relationship {
            if first.kind == kind {
                format!("`{keyword}` is given twice: merge the options into one `{keyword}(..)`")
            } else {
                format!(
                    "this field is already a `{}`: a field holds one relationship; keep `{}` or \
                     `{keyword}`",
                    first.kind.keyword(),
                    first.kind.keyword()
                )
            }
        } else if let Some(pk) = self.primary_key {
            format!(
                "this field is the `{}`: a relationship is a field of its own, typed `Loaded<..>`",
                pk.kind.keyword()
            )
        } else {
            let mut spec = RelSpec {
                kind,
                destination: None,
                options: Vec::new(),
                unknown: Vec::new(),
                unreadable_options: false,
            };
            match meta {
                Meta::Path(_) => {}
                Meta::List(list) => match NestedMeta::parse_meta_list(list.tokens.clone()) {
                    Ok(items) => spec.options(&items, &mut self.errors),
                    Err(e) => {
                        self.errors.push(e.into());
                        spec.unreadable_options = true;
                    }
                },
                Meta::NameValue(nv) => self.errors.push(error(
                    &nv.eq_token,
                    format!(
                        "write the options in parentheses: `{keyword}(destination = Ticket)`, \
                         or `{keyword}` alone"
                    ),
                )),
            }
            self.relationship = Some(spec);
            return;
        };
        self.errors.push(error(word, message));
    }
}

impl RelSpec {
    /// Parses the options in `has_many( .. )`, keeping every one that parses.
    fn options(&mut self, items: &[NestedMeta], errors: &mut Vec<darling::Error>) {
        for item in items {
            let parsed =
                item_name(item, "manual = Loader").and_then(|(meta, word)| self.option(meta, word));
            if let Err(e) = parsed {
                errors.push(e);
                self.unreadable_options = true;
            }
        }
    }

    fn option(&mut self, meta: &Meta, word: &Ident) -> darling::Result<()> {
        let name = word.to_string();
        let value = match name.as_str() {
            "destination" => {
                let ty = type_value(meta, "destination = Ticket")?;
                if self.destination.is_some() {
                    return Err(error(word, "`destination` is given twice: keep one"));
                }
                self.destination = Some(ty);
                return Ok(());
            }
            "source_attribute" => OptionValue::SourceAttribute(ident_value(meta, &name)?),
            "destination_attribute" => OptionValue::DestinationAttribute(ident_value(meta, &name)?),
            "source_attribute_on_join_resource" => {
                OptionValue::SourceAttributeOnJoinResource(ident_value(meta, &name)?)
            }
            "destination_attribute_on_join_resource" => {
                OptionValue::DestinationAttributeOnJoinResource(ident_value(meta, &name)?)
            }
            "filter" => OptionValue::Filter(filter(meta)?),
            "condition" => OptionValue::Condition(filter(meta)?),
            "sort" => OptionValue::Sort(self.sort(meta)?),
            "manual" => OptionValue::Manual(expr_value(meta, "manual = Loader")?.clone()),
            "no_attributes" => {
                if !matches!(meta, Meta::Path(_)) {
                    return Err(error(
                        meta,
                        "`no_attributes` takes no value: write `no_attributes` alone",
                    ));
                }
                OptionValue::NoAttributes
            }
            "through" => OptionValue::Through(type_value(meta, "through = JoinResource")?),
            "authorize_read_with" => {
                let word = ident_value(meta, &name).map_err(|_| {
                    error(
                        meta,
                        "expected `authorize_read_with = error` (or `= filter`)",
                    )
                })?;
                OptionValue::AuthorizeReadWith(read_with(word, &mut self.unknown))
            }
            _ => {
                if let Some(meant) = did_you_mean(&name, RELATIONSHIP_OPTIONS) {
                    let unknown =
                        darling::Error::unknown_field_with_alts(&name, &RELATIONSHIP_OPTIONS)
                            .with_span(word);
                    // Read as the option it is close to, once reported, so the
                    // relationship is not also wrong for the option it lacks
                    // (as `resource!` reads it); its value's own errors, if
                    // any, give way to this one.
                    let _ = self.option(meta, &Ident::new(meant, word.span()));
                    return Err(unknown);
                }
                // Darling lists the alternatives only when there are fewer than ten.
                let all: Vec<String> = RELATIONSHIP_OPTIONS
                    .iter()
                    .map(|o| format!("`{o}`"))
                    .collect();
                return Err(error(
                    word,
                    format!(
                        "Unknown field: `{name}`. Available values: {}",
                        all.join(", ")
                    ),
                ));
            }
        };
        debug_assert!(OptionKind::ALL.contains(&value.kind()));
        self.options.push(RelOption {
            keyword: word.clone(),
            value,
        });
        Ok(())
    }

    /// `sort(priority desc, subject)` or `sort = "priority desc, subject"`.
    fn sort(&mut self, meta: &Meta) -> darling::Result<Vec<SortKey>> {
        let (tokens, end) = raw_tokens(meta, "sort(priority desc, subject)")?;
        let keys = Punctuated::<SortKeySyntax, Token![,]>::parse_terminated.parse2(tokens)?;
        if keys.is_empty() {
            return Err(error(
                &end,
                "expected a sort key: `sort(priority desc, subject)`",
            ));
        }
        Ok(sort_keys(keys, &mut self.unknown))
    }
}

/// The value of `name = value`.
fn expr_value<'a>(meta: &'a Meta, example: &str) -> darling::Result<&'a Expr> {
    match meta {
        Meta::NameValue(nv) => Ok(&nv.value),
        _ => Err(error(meta, format!("expected `{example}`"))),
    }
}

/// `name = attribute_name` (or `name = "attribute_name"`).
fn ident_value(meta: &Meta, name: &str) -> darling::Result<Ident> {
    let value = expr_value(meta, &format!("{name} = ticket_id"))?;
    Ident::from_expr(value).map_err(|_| {
        error(
            value,
            format!("expected an attribute name: `{name} = ticket_id`"),
        )
    })
}

/// `name = Type`, or `name = "Type<..>"` for a type that is not an expression.
fn type_value(meta: &Meta, example: &str) -> darling::Result<Type> {
    let value = expr_value(meta, example)?;
    syn::TypePath::from_expr(value)
        .map(Type::Path)
        .map_err(|_| {
            error(
                value,
                format!(
                    "expected a resource type: `{example}` (a type with generic arguments goes \
                     in quotes)"
                ),
            )
        })
}

/// The tokens of `name(tokens)`, or of `name = "tokens"` (spanned on the
/// string), and where they end.
fn raw_tokens(meta: &Meta, example: &str) -> darling::Result<(TokenStream, Span)> {
    match meta {
        Meta::List(list) => Ok((list.tokens.clone(), list.delimiter.span().close())),
        Meta::NameValue(syn::MetaNameValue {
            value: Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }),
            ..
        }) => {
            // Spanned on the string: syn's own error would be on the derive.
            let tokens = s
                .parse_with(|input: ParseStream| input.parse::<TokenStream>())
                .map_err(|_| {
                    error(
                        s,
                        format!(
                            "this string is not Rust tokens (a quote or a bracket left open?): \
                             mend it, or write the value in parentheses, `{example}`"
                        ),
                    )
                })?;
            Ok((tokens, s.span()))
        }
        _ => Err(error(
            meta,
            format!("expected `{example}`, the value in parentheses or in quotes"),
        )),
    }
}

/// `filter(status == "open" and priority > 2)`, through the parser of `expr!`.
fn filter(meta: &Meta) -> darling::Result<expr::Expr> {
    let (mut tokens, end) = raw_tokens(meta, "filter(status == \"open\")")?;
    if tokens.is_empty() {
        return Err(error(
            &end,
            "expected a filter: `filter(status == \"open\")`",
        ));
    }
    // The filter parser of `resource!` ends at `;`: end the tokens with one.
    let mut semi = Punct::new(';', Spacing::Alone);
    semi.set_span(end);
    tokens.extend([TokenTree::Punct(semi)]);
    let parse = |input: ParseStream| {
        let filter = expr::parse_filter(input)?;
        input.parse::<Token![;]>()?;
        if !input.is_empty() {
            return Err(input.error("expected the end of the filter"));
        }
        Ok(filter)
    };
    parse.parse2(tokens).map_err(|e| {
        let message = e.to_string().replace("or `;`", "or the end of the filter");
        syn::Error::new(e.span(), message).into()
    })
}
