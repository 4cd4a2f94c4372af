//! Rules only `#[derive(Resource)]` needs. `resource!` writes the struct, so a
//! belongs_to there defines its foreign-key field; the derive cannot add a field
//! to the user's struct, so the struct must have it. (Rules about one field, such
//! as a relationship field that is not `Loaded<..>`, are checked where the field
//! is parsed, in `parse/derive.rs`.)

use syn::ext::IdentExt;

use crate::errors::Errors;
use crate::model::{OptionKind, OptionValue, RelKind, Resource, name_of};

/// A belongs_to whose foreign key is not a field of the struct: reported on the
/// relationship (on its `source_attribute` when given), and the relationship is
/// removed, so generation does not name the missing field.
pub fn foreign_key_fields(resource: &mut Resource, errors: &Errors) {
    let fields: Vec<String> = resource
        .attributes
        .iter()
        .map(|a| name_of(&a.name))
        .collect();
    let ident = resource.ident.clone();
    resource.relationships.retain(|rel| {
        if rel.kind != RelKind::BelongsTo {
            return true;
        }
        let key = rel.foreign_key();
        if fields.contains(&name_of(&key)) {
            return true;
        }
        let destination = rel.destination_name().map_or_else(
            || "the destination".to_owned(),
            |d| format!("`{}`", d.unraw()),
        );
        let key = key.unraw();
        let field = match rel.option(OptionKind::DestinationAttribute) {
            Some(OptionValue::DestinationAttribute(attribute)) => format!(
                "`pub {key}: Option<T>`, `T` the type of {destination}'s `{}`",
                attribute.unraw()
            ),
            _ => format!(
                "`pub {key}: Option<Uuid>` (the `Option` of {destination}'s primary key type: \
                 `Option<i64>` for an `integer_primary_key`)"
            ),
        };
        let span = match rel.option(OptionKind::SourceAttribute) {
            Some(OptionValue::SourceAttribute(given)) => given.span(),
            _ => rel.name.span(),
        };
        errors.error_at(
            span,
            format!(
                "belongs_to `{}` keeps the key of {destination} in `{key}`, which is not a field \
                 of `{ident}`: add {field}",
                rel.name.unraw(),
            ),
        );
        false
    });
}
