//! The one `UPDATE` of an update: `UPDATE t AS t0 SET a = $1, … WHERE
//! <conditions> RETURNING <attributes>, <sequence>`, or `UPDATE t SET … WHERE
//! key IN (<the keys the request selects>) …` when the selection needs a join
//! or a window (see `selection`).
//!
//! Either way the records are those a read would give: its filter with every
//! relationship path, the visibility of each resource it meets, and its sort,
//! offset and limit when it has a window. So one statement updates any number
//! of records, every value a parameter. The rows come back in no order, with
//! their insertion sequence last (`Columns::AttributesAndSeq`): the layer
//! orders them by it.

use super::super::{Columns, Dialect, Statement};
use super::selection::selection;
use super::text::{Params, ident, returning};
use crate::data_layer::{Changes, ReadRequest, check_request};
use crate::error::{Error, ErrorKind, Result};

/// The statement updating what `request` selects with `changes`.
pub(super) fn update(
    dialect: Dialect,
    request: &ReadRequest,
    changes: &Changes,
) -> Result<Statement> {
    let schema = request.schema;
    check_request(request, "update")?;
    changes.check(schema)?;
    if changes.is_empty() {
        return Err(Error::new(ErrorKind::InvalidQuery {
            resource: schema.name,
            message: "an update statement must set something".to_owned(),
        }));
    }
    let selected = selection(dialect, request)?;
    // The values are numbered after the selection's parameters.
    let mut params = Params::numbered_after(dialect, selected.params);
    let sets: Vec<String> = changes
        .iter()
        .map(|(index, value)| {
            let name = ident(schema.attributes[index].name);
            format!("{name} = {}", params.value(value.clone()))
        })
        .collect();
    let sql = format!(
        "UPDATE {} SET {}{} RETURNING {}",
        selected.table,
        sets.join(", "),
        selected.condition,
        returning(dialect, schema),
    );
    Ok(Statement {
        sql,
        params: params.list,
        columns: Columns::AttributesAndSeq,
    })
}
