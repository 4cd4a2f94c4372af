//! `ashore_rows`, the table a plain SQLite create reads its rows from: an
//! eponymous virtual table whose rows are the [`Rows`] bound to its argument,
//! so that a create of any number of rows is one statement,
//! `INSERT INTO t (a, b, ..) SELECT c0, c1, .. FROM ashore_rows(?1)`
//! (`build::rows_insert`), its rows read in place (no copy into parameters).
//!
//! One statement rather than one `INSERT .. VALUES` of thousands of rows per
//! chunk: a statement that writes several rows inside a transaction keeps a
//! statement journal (a copy of every page it changes that existed before it
//! began, so it can be undone alone), and each chunk copied again the pages
//! the chunks before it had written (10 MB per create of 100,000 tickets with
//! integer keys, 65 MB with UUID keys, spilled to a temporary file). One
//! statement copies only the pages that existed before the create.
//!
//! The rows reach the table as a pointer bound with `sqlite3_bind_pointer`
//! under this module's own type name ([`BoundRows`]), which SQL cannot forge:
//! read with anything else bound (or nothing), the table is empty.

use std::borrow::Cow;
use std::ffi::{CStr, CString, c_int};
use std::fmt::Write as _;
use std::rc::Rc;

use rusqlite::types::{ToSql, ToSqlOutput};
use rusqlite::vtab::{
    Context, Filters, IndexConstraintOp, IndexInfo, Module, VTab, VTabConnection, VTabCursor,
};
use rusqlite::{Connection, ffi};

use super::codec;
use crate::resource::Rows;

/// The module's name, and the type name of the pointer it reads.
const NAME: &CStr = c"ashore_rows";

/// The hidden column its argument binds.
const ROWS_COLUMN: &str = "rows";

/// Registers `ashore_rows` on `conn`.
pub(super) fn load_module(conn: &Connection) -> rusqlite::Result<()> {
    const MODULE: Module<RowsTable> = Module::eponymous_only_module();
    conn.create_module(NAME, &MODULE, None)
}

/// The name `ashore_rows` is called by in SQL.
pub(super) fn name() -> &'static str {
    "ashore_rows"
}

/// How many attributes one insert from `ashore_rows` takes on `conn`: one
/// column fewer than SQLite allows a table (its hidden argument is one).
pub(super) fn widest(conn: &Connection) -> usize {
    // SAFETY: the handle is only read, for a limit.
    value_columns(unsafe { conn.handle() })
}

/// The value columns `ashore_rows` declares on the connection `db`.
fn value_columns(db: *mut ffi::sqlite3) -> usize {
    // SAFETY: `db` is an open connection; a limit of -1 only reads it.
    let limit = unsafe { ffi::sqlite3_limit(db, ffi::SQLITE_LIMIT_COLUMN, -1) };
    usize::try_from(limit).unwrap_or(1).saturating_sub(1)
}

/// Rows bound to `ashore_rows`'s argument. The statement holds one reference
/// while bound; clearing its bindings gives it back.
pub(super) struct BoundRows(pub(super) Rc<Rows>);

impl ToSql for BoundRows {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from_rc(self.0.clone(), NAME))
    }
}

/// The virtual table: `c0`, `c1`, .. (as many as SQLite allows a table, less
/// one) and the hidden `rows`.
#[repr(C)]
struct RowsTable {
    /// SQLite's part; must be first.
    base: ffi::sqlite3_vtab,
    /// How many value columns it declares; `rows` is the next.
    columns: usize,
}

unsafe impl<'vtab> VTab<'vtab> for RowsTable {
    type Aux = ();
    type Cursor = RowsCursor<'vtab>;

    fn connect(
        conn: &mut VTabConnection,
        _aux: Option<&()>,
        _module_name: &[u8],
        _database_name: &[u8],
        _table_name: &[u8],
        _args: &[&[u8]],
    ) -> rusqlite::Result<(Cow<'static, CStr>, RowsTable)> {
        // SAFETY: the handle is only read, for its column limit.
        let columns = value_columns(unsafe { conn.handle() });
        let mut sql = String::with_capacity(16 + 7 * columns);
        sql.push_str("CREATE TABLE x(");
        for i in 0..columns {
            let _ = write!(sql, "c{i}, ");
        }
        let _ = write!(sql, "{ROWS_COLUMN} HIDDEN)");
        let sql = CString::new(sql).map_err(|e| {
            rusqlite::Error::ModuleError(format!("ashore_rows: declaring the table: {e}"))
        })?;
        let table = RowsTable {
            base: ffi::sqlite3_vtab::default(),
            columns,
        };
        Ok((Cow::Owned(sql), table))
    }

    fn best_index(&self, info: &mut IndexInfo) -> rusqlite::Result<bool> {
        let mut bound = false;
        for (constraint, mut usage) in info.constraints_and_usages() {
            if constraint.is_usable()
                && constraint.operator() == IndexConstraintOp::SQLITE_INDEX_CONSTRAINT_EQ
                && usize::try_from(constraint.column()).is_ok_and(|c| c == self.columns)
            {
                usage.set_argv_index(1);
                usage.set_omit(true);
                bound = true;
            }
        }
        info.set_idx_num(c_int::from(bound));
        info.set_estimated_cost(if bound { 1.0 } else { f64::from(i32::MAX) });
        Ok(true)
    }

    fn open(&'vtab mut self) -> rusqlite::Result<RowsCursor<'vtab>> {
        Ok(RowsCursor {
            base: ffi::sqlite3_vtab_cursor::default(),
            rows: None,
            row: 0,
        })
    }
}

/// A scan of the rows bound to one statement.
#[repr(C)]
struct RowsCursor<'vtab> {
    /// SQLite's part; must be first.
    base: ffi::sqlite3_vtab_cursor,
    /// The rows bound, if any.
    rows: Option<&'vtab Rows>,
    /// The row the cursor is on.
    row: usize,
}

unsafe impl VTabCursor for RowsCursor<'_> {
    fn filter(
        &mut self,
        idx_num: c_int,
        _: Option<&str>,
        args: &Filters<'_>,
    ) -> rusqlite::Result<()> {
        // A pointer reads as NULL; anything else bound (`ashore_rows(1)` in
        // raw SQL) is no rows (and is not asked for a pointer, which
        // rusqlite asserts is NULL).
        let null = idx_num == 1
            && args.len() == 1
            && matches!(
                args.get::<rusqlite::types::Value>(0),
                Ok(rusqlite::types::Value::Null)
            );
        self.rows = if null {
            // SAFETY: a pointer of this module's type is only ever a
            // `BoundRows`' `Rc<Rows>`, kept alive by the binding for as long
            // as the statement runs.
            unsafe { args.get_pointer::<Rows>(0, NAME) }
        } else {
            None
        };
        self.row = 0;
        Ok(())
    }

    fn next(&mut self) -> rusqlite::Result<()> {
        self.row += 1;
        Ok(())
    }

    fn eof(&self) -> bool {
        self.rows.is_none_or(|rows| self.row >= rows.len())
    }

    fn column(&self, ctx: &mut Context, i: c_int) -> rusqlite::Result<()> {
        let value = self
            .rows
            .and_then(|rows| rows.get(self.row))
            .and_then(|row| row.get(usize::try_from(i).ok()?));
        match value {
            Some(value) => codec::with_sql(value, |sql| ctx.set_result(&sql)),
            None => ctx.set_result(&rusqlite::types::Null),
        }
    }

    fn rowid(&self) -> rusqlite::Result<i64> {
        i64::try_from(self.row + 1).map_err(|e| rusqlite::Error::ModuleError(e.to_string()))
    }
}
