//! The one `DELETE` of a destroy: `DELETE FROM t AS t0 WHERE <conditions>
//! RETURNING <attributes>, <sequence>` (or `WHERE key IN (<keys>)`), the
//! records selected as an update selects them (see `selection`), returned in
//! no order with their insertion sequence last (`Columns::AttributesAndSeq`).

use super::super::{Columns, Dialect, Statement};
use super::selection::selection;
use super::text::returning;
use crate::data_layer::{ReadRequest, check_request};
use crate::error::Result;

/// The statement destroying what `request` selects.
pub(super) fn delete(dialect: Dialect, request: &ReadRequest) -> Result<Statement> {
    let schema = request.schema;
    check_request(request, "destroy")?;
    let selected = selection(dialect, request)?;
    let sql = format!(
        "DELETE FROM {}{} RETURNING {}",
        selected.table,
        selected.condition,
        returning(dialect, schema),
    );
    Ok(Statement {
        sql,
        params: selected.params,
        columns: Columns::AttributesAndSeq,
    })
}
