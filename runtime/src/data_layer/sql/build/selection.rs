//! How a write (`update`, `delete`) selects the records of a request: where
//! the request needs neither a join (a filter path that reaches at most one
//! record) nor a window (sort, offset, limit) nor a partition, its conditions
//! straight on the table, aliased `t0` as a read's are
//! (`UPDATE t AS t0 .. WHERE <conditions>`); otherwise by primary key from the
//! statement a read would be (`WHERE key IN (<keys>)`, `read::Shape::Keys`).
//!
//! The first is what hand-written SQL does, and the cheaper: selecting 100,000
//! tickets through `key IN (..)` builds the subquery's key set and probes the
//! primary-key index once per row (SQLite, UUID keys: an update of every
//! ticket took twice the time of the plain `UPDATE .. WHERE`).

use super::super::{Dialect, Param};
use super::filter::{Compiler, Root};
use super::read::{self, Shape};
use super::text::{Params, ident};
use crate::data_layer::ReadRequest;
use crate::error::Result;

/// The target and selection of a write statement, with their parameters
/// (numbered first: the statement's own values come after).
pub(super) struct Selection {
    /// `t AS t0` or `t`.
    pub(super) table: String,
    /// ` WHERE …`, or nothing when every record is selected.
    pub(super) condition: String,
    pub(super) params: Vec<Param>,
}

/// How a write on `request`'s table selects the records `request` selects.
pub(super) fn selection(dialect: Dialect, request: &ReadRequest) -> Result<Selection> {
    if let Some(direct) = direct(dialect, request)? {
        return Ok(direct);
    }
    let schema = request.schema;
    let keys = read::read(dialect, request, Shape::Keys)?;
    Ok(Selection {
        table: ident(schema.table),
        condition: format!(
            " WHERE {} IN ({})",
            ident(schema.primary_key().name),
            keys.sql
        ),
        params: keys.params,
    })
}

/// The request's conditions on its own table, when they need no join, window
/// or partition.
fn direct(dialect: Dialect, request: &ReadRequest) -> Result<Option<Selection>> {
    let windowed = !request.sort.is_empty() || request.offset > 0 || request.limit.is_some();
    if windowed || request.partition.is_some() {
        return Ok(None);
    }
    let schema = request.schema;
    let mut params = Params::new(dialect);
    let mut compiler = Compiler::new(schema, &mut params, request.visibility.clone());
    let mut root = Root::default();
    if let Some(expr) = &request.filter {
        root.add(compiler.root(schema, "t0", expr)?);
    }
    if let Some(visible) = compiler.visible_root(schema, "t0")? {
        root.add(visible);
    }
    drop(compiler);
    if !root.joins.is_empty() {
        return Ok(None);
    }
    let condition = if root.conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", root.conditions.join(" AND "))
    };
    Ok(Some(Selection {
        table: format!("{} AS t0", ident(schema.table)),
        condition,
        params: params.list,
    }))
}
