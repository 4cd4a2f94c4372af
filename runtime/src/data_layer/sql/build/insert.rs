//! Multi-row `INSERT … RETURNING`, chunked to the dialect's parameter limit.
//!
//! Primary keys left nil are assigned as the in-memory layer assigns them:
//! - `Generated::Uuid`: a random v4 UUID, made here.
//! - `Generated::Integer` on SQLite: one more than the largest key stored or
//!   given in the batch, then the next, in row order. The SQLite layer assigns
//!   them itself ([`assign_integer_keys`], after one [`max_primary_key`] query
//!   in its write transaction; SQLite runs one writer at a time, so this is
//!   exact): a subquery per row would open a cursor per row, and SQLite's
//!   work per cursor grows with the cursors open, so a batch of 10,000 took
//!   seconds. Rows still nil here get `(SELECT max(…)) + k`, which a
//!   statement's subqueries read as the table was before it; chunks must run
//!   in order (in one transaction for all-or-nothing).
//! - `Generated::Integer` on PostgreSQL: `DEFAULT`, the identity sequence, which
//!   is safe under concurrent writers. A batch that gives integer keys first
//!   moves the sequence past the largest key given or stored (never back), so
//!   generated keys come after them as in memory. (A key given by a
//!   concurrent writer at the same moment can still meet a generated one: a
//!   unique-constraint error, never an overwrite.)
//!
//! An upsert ([`Upsert`]) is the same insert with `ON CONFLICT (<identity's
//! columns>) DO UPDATE SET col = excluded.col, ..` over the attributes it
//! updates (none: the first column set to itself, so that `RETURNING` still
//! gives the record found, which `DO NOTHING` would not), and `WHERE` the
//! condition on the records it may update when it has one
//! (`Upsert::visibility`): a record found that fails it is left as it is and
//! not returned, in the same atomic step as the insert, which a concurrent
//! writer cannot come between.
//!
//! A plain insert on PostgreSQL is one `INSERT .. SELECT * FROM UNNEST(<one
//! array per column>)` instead ([`insert_unnest`]), unless integer keys are
//! partly given and partly left to the identity.
//!
//! RETURNING gives the rows in the order of the VALUES list on both databases,
//! and of the arrays for UNNEST (neither documents it, both do it for a plain
//! insert).

use super::super::{Columns, Dialect, Param, Statement};
use super::filter::Compiler;
use super::text::{Params, ident, literal};
use crate::data_layer::Upsert;
use crate::error::{Error, Result};
use crate::resource::{Generated, Rows, Schema};
use crate::value::Value;

/// Most parameters one statement may have.
fn max_params(dialect: Dialect) -> usize {
    match dialect {
        Dialect::Sqlite => 32_766,
        Dialect::Postgres => 65_535,
    }
}

pub(super) fn insert(
    dialect: Dialect,
    schema: &'static Schema,
    rows: &Rows,
    upsert: Option<&Upsert>,
) -> Result<Vec<Statement>> {
    if dialect == Dialect::Postgres
        && upsert.is_none()
        && let Some(statements) = insert_unnest(schema, rows)?
    {
        return Ok(statements);
    }
    insert_chunked(dialect, schema, rows, upsert, max_params(dialect))
}

/// The text of a plain insert of rows of `schema` that returns nothing and
/// reads them from the table-valued function `source`, given one parameter:
/// `INSERT INTO t (a, b, ..) SELECT c0, c1, .. FROM source(?1)`, column `cN`
/// of `source` holding attribute `N` (the SQLite layer's `ashore_rows`, its
/// rows bound in place). One statement whatever the number of rows: on
/// SQLite, each statement that writes several rows inside a transaction
/// copies the pages it changes that existed before it (its statement journal),
/// so chunks of `INSERT .. VALUES` copied again what the chunks before them
/// had written. The rows' values are not copied into parameters, and the
/// records are built from them: building parameters and decoding what
/// `RETURNING` gives back cost a large create as much as the insert itself.
pub(super) fn rows_insert(schema: &'static Schema, source: &str) -> String {
    let names: Vec<String> = schema.attributes.iter().map(|a| ident(a.name)).collect();
    let columns: Vec<String> = (0..names.len()).map(|i| format!("c{i}")).collect();
    format!(
        "INSERT INTO {} ({}) SELECT {} FROM {source}(?1)",
        ident(schema.table),
        names.join(", "),
        columns.join(", ")
    )
}

/// A plain insert on PostgreSQL as one statement of one array per column:
/// `INSERT INTO t (..) SELECT * FROM UNNEST($1::uuid[], $2::text[], ..)
/// RETURNING ..`. PostgreSQL parses and binds one array per column instead of
/// VALUES lists of up to 65,535 parameters (`create_many` of 100,000 tickets:
/// 1.2-1.6x the hand-written UNNEST with VALUES, 1.1x so). Integer keys left nil are the
/// identity's to assign, which UNNEST cannot say per row (`DEFAULT`): a batch
/// that leaves some nil and gives others takes the VALUES form (`None`).
fn insert_unnest(schema: &'static Schema, rows: &Rows) -> Result<Option<Vec<Statement>>> {
    for row in rows {
        schema.check_row(row)?;
    }
    let pk = schema.primary_key;
    let generated = schema.primary_key().generated;
    let nil_keys = rows.iter().filter(|r| r[pk].is_null()).count();
    let identity = generated == Some(Generated::Integer) && nil_keys > 0;
    // UNNEST of no array cannot say "one row each": a resource whose only
    // attribute is its generated key takes the VALUES form (`(DEFAULT)`).
    let only_the_key = identity && schema.attributes.len() == 1;
    if rows.is_empty() || (identity && nil_keys < rows.len()) || only_the_key {
        return Ok(None);
    }
    let mut statements = Vec::new();
    if let (Some(Generated::Integer), Some(m)) = (generated, given_max(schema, rows)) {
        statements.push(advance_sequence(schema, m));
    }
    let mut params = Params::new(Dialect::Postgres);
    let (mut names, mut arrays) = (Vec::new(), Vec::new());
    for (i, attribute) in schema.attributes.iter().enumerate() {
        if i == pk && identity {
            continue;
        }
        let values = rows
            .iter()
            .map(|row| match (&row[i], i == pk, generated) {
                (Value::Null, true, Some(Generated::Uuid)) => Value::Uuid(uuid::Uuid::new_v4()),
                (value, _, _) => value.clone(),
            })
            .collect();
        names.push(ident(attribute.name));
        arrays.push(params.list(attribute.value_type, values));
    }
    let returning: Vec<String> = schema.attributes.iter().map(|a| ident(a.name)).collect();
    statements.push(Statement {
        sql: format!(
            "INSERT INTO {} ({}) SELECT * FROM UNNEST({}) RETURNING {}",
            ident(schema.table),
            names.join(", "),
            arrays.join(", "),
            returning.join(", ")
        ),
        params: params.list,
        columns: Columns::Attributes,
    });
    Ok(Some(statements))
}

pub(super) fn insert_chunked(
    dialect: Dialect,
    schema: &'static Schema,
    rows: &Rows,
    upsert: Option<&Upsert>,
    max_params: usize,
) -> Result<Vec<Statement>> {
    for row in rows {
        schema.check_row(row)?;
    }
    let pk = schema.primary_key;
    let generated = schema.primary_key().generated;
    let pk_name = ident(schema.primary_key().name);
    let table = ident(schema.table);
    // The largest integer key given in the whole batch: generated keys come after.
    let given_max = given_max(schema, rows);
    let names: Vec<String> = schema.attributes.iter().map(|a| ident(a.name)).collect();
    let names = names.join(", ");
    // The condition on the record found, its parameters first in every
    // statement (the rows' values are numbered after them).
    let (conflict, first_params) = match upsert {
        Some(u) => on_conflict(dialect, schema, u)?,
        None => (Conflict::default(), Vec::new()),
    };
    let head = format!("INSERT INTO {table}{} ({names}) VALUES ", conflict.alias);
    let tail = format!("{} RETURNING {names}", conflict.clause);

    let mut statements = Vec::new();
    if let (Dialect::Postgres, Some(Generated::Integer), Some(m)) = (dialect, generated, given_max)
    {
        statements.push(advance_sequence(schema, m));
    }
    let mut params = Params::numbered_after(dialect, first_params.clone());
    let mut values: Vec<String> = Vec::new();
    // Per statement: the placeholder of `given_max` and the generated keys so far.
    let mut given_max_param: Option<String> = None;
    let mut generated_so_far = 0_i64;
    for row in rows {
        let extra = match (row[pk].is_null(), generated, dialect) {
            (true, Some(Generated::Uuid), _) => 1,
            // The placeholder of `given_max`, counted even when the statement
            // has it already: the row may start a new statement.
            (true, Some(Generated::Integer), Dialect::Sqlite) => usize::from(given_max.is_some()),
            _ => 0,
        };
        let needed = row.iter().filter(|v| !v.is_null()).count() + extra;
        if !values.is_empty() && params.mark() + needed > max_params {
            statements.push(Statement {
                sql: format!("{head}{}{tail}", values.join(", ")),
                params: std::mem::replace(&mut params.list, first_params.clone()),
                columns: Columns::Attributes,
            });
            values.clear();
            given_max_param = None;
            generated_so_far = 0;
        }
        let mut cells = Vec::with_capacity(row.len());
        for (i, value) in row.iter().enumerate() {
            let cell = match (value, i == pk, generated) {
                (Value::Null, true, Some(Generated::Uuid)) => {
                    params.value(Value::Uuid(uuid::Uuid::new_v4()))
                }
                (Value::Null, true, Some(Generated::Integer)) => match dialect {
                    Dialect::Postgres => "DEFAULT".to_owned(),
                    Dialect::Sqlite => {
                        generated_so_far += 1;
                        let k = generated_so_far;
                        match given_max {
                            None => {
                                format!("(SELECT COALESCE(MAX({pk_name}), 0) + {k} FROM {table})")
                            }
                            Some(m) => {
                                let b = given_max_param
                                    .get_or_insert_with(|| params.value(Value::Int(m)))
                                    .clone();
                                format!(
                                    "(SELECT max(COALESCE(MAX({pk_name}), {b}), {b}) + {k} FROM {table})"
                                )
                            }
                        }
                    }
                },
                (value, _, _) => params.value(value.clone()),
            };
            cells.push(cell);
        }
        values.push(format!("({})", cells.join(", ")));
    }
    if !values.is_empty() {
        statements.push(Statement {
            sql: format!("{head}{}{tail}", values.join(", ")),
            params: params.list,
            columns: Columns::Attributes,
        });
    }
    Ok(statements)
}

/// What an upsert adds to its inserts (see the module comment).
#[derive(Default)]
struct Conflict {
    /// ` AS t0` after the table when `clause` tests the record found.
    alias: &'static str,
    /// ` ON CONFLICT (..) DO UPDATE SET .. [WHERE ..]`.
    clause: String,
}

/// The ` ON CONFLICT (..) DO UPDATE SET ..` of an upsert, with ` WHERE <the
/// condition on the record found>` when `upsert.visibility` has one on
/// `schema` (the table then read as `t0`, the condition compiled as a
/// visibility condition of a read is, its paths in `EXISTS`), and its
/// parameters. A row whose record found fails the condition is neither
/// inserted nor updated, and `RETURNING` leaves it out: the layer counts the
/// records returned.
fn on_conflict(
    dialect: Dialect,
    schema: &'static Schema,
    upsert: &Upsert,
) -> Result<(Conflict, Vec<Param>)> {
    let columns = upsert.identity.columns(schema);
    let target: Vec<String> = columns.iter().map(|c| ident(c)).collect();
    let mut set: Vec<String> = upsert
        .update
        .iter()
        .map(|&i| {
            let column = ident(schema.attributes[i].name);
            format!("{column} = excluded.{column}")
        })
        .collect();
    if set.is_empty() {
        let column = ident(columns[0]);
        set.push(format!("{column} = excluded.{column}"));
    }
    let mut params = Params::new(dialect);
    let mut compiler = Compiler::new(schema, &mut params, upsert.visibility.clone());
    let condition = compiler.visible(schema, "t0")?;
    drop(compiler);
    let mut clause = format!(
        " ON CONFLICT ({}) DO UPDATE SET {}",
        target.join(", "),
        set.join(", ")
    );
    let alias = match condition {
        Some(condition) => {
            clause.push_str(" WHERE ");
            clause.push_str(&condition);
            " AS t0"
        }
        None => "",
    };
    Ok((Conflict { alias, clause }, params.list))
}

/// The largest primary key stored in `schema`'s table (NULL when it is empty).
pub(super) fn max_primary_key(schema: &'static Schema) -> String {
    format!(
        "SELECT MAX({}) FROM {}",
        ident(schema.primary_key().name),
        ident(schema.table)
    )
}

/// Gives each row of `rows` whose integer primary key is nil the key the
/// insert's `(SELECT max(…)) + k` would give it: one more than the largest of
/// `stored` (the table's largest key) and the keys the batch gives, then the
/// next, in row order. A key past `i64::MAX` is an error, not a wrap.
pub(super) fn assign_integer_keys(
    schema: &'static Schema,
    rows: &mut Rows,
    stored: Option<i64>,
) -> Result<()> {
    let pk = schema.primary_key;
    let mut last = match given_max(schema, rows) {
        None => stored.unwrap_or(0),
        Some(given) => stored.unwrap_or(given).max(given),
    };
    for row in rows.iter_mut().filter(|r| r[pk].is_null()) {
        last = last.checked_add(1).ok_or_else(|| {
            Error::data_layer(format!(
                "no integer key is left for a new {}: the largest is {}",
                schema.name,
                i64::MAX
            ))
        })?;
        row[pk] = Value::Int(last);
    }
    Ok(())
}

/// The largest integer primary key `rows` give.
fn given_max(schema: &'static Schema, rows: &Rows) -> Option<i64> {
    rows.iter()
        .filter_map(|r| match r[schema.primary_key] {
            Value::Int(i) => Some(i),
            _ => None,
        })
        .max()
}

/// Moves `schema`'s identity sequence (PostgreSQL) so that the next key it
/// hands out is one more than the largest of `given_max`, the keys stored and
/// the keys it handed out already (`pg_sequence_last_value`, nil before the
/// first). It takes no value from the sequence itself: a sequence that has
/// handed out its last value (`i64::MAX`) still lets a create give its key.
fn advance_sequence(schema: &'static Schema, given_max: i64) -> Statement {
    let mut params = Params::new(Dialect::Postgres);
    let given = params.value(Value::Int(given_max));
    let table = ident(schema.table);
    let key = ident(schema.primary_key().name);
    let sequence = format!(
        "pg_get_serial_sequence({}, {})::regclass",
        literal(&table),
        literal(schema.primary_key().name)
    );
    Statement {
        sql: format!(
            "SELECT setval(s, GREATEST({given}, (SELECT MAX({key}) FROM {table}), \
             pg_sequence_last_value(s)), true) FROM (SELECT {sequence} AS s) AS q"
        ),
        params: params.list,
        columns: Columns::None,
    }
}
