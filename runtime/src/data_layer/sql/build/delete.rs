//! The one `DELETE` of a destroy: `DELETE FROM t WHERE key IN (<the keys the
//! request selects>) RETURNING <attributes>, <sequence>`, the records selected
//! as an update selects them (see `update`), returned in no order with their
//! insertion sequence last (`Columns::AttributesAndSeq`).

use super::super::{Columns, Dialect, Statement};
use super::read::{self, Shape};
use super::text::{ident, returning};
use crate::data_layer::{ReadRequest, check_request};
use crate::error::Result;

/// The statement destroying what `request` selects.
pub(super) fn delete(dialect: Dialect, request: &ReadRequest) -> Result<Statement> {
    let schema = request.schema;
    check_request(request, "destroy")?;
    let keys = read::read(dialect, request, Shape::Keys)?;
    let sql = format!(
        "DELETE FROM {} WHERE {} IN ({}) RETURNING {}",
        ident(schema.table),
        ident(schema.primary_key().name),
        keys.sql,
        returning(dialect, schema),
    );
    Ok(Statement {
        sql,
        params: keys.params,
        columns: Columns::AttributesAndSeq,
    })
}
