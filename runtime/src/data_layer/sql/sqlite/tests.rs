//! Tests of the SQLite layer, on hand-written resources: `values` (encoding
//! through a real SQLite), `failures` (URLs, constraint errors), `pool` (connection
//! set-up, the in-memory database, raw SQL), `end_to_end` (reads, creates and
//! migrations on the statements `build` makes), `stored_uuids` (the one
//! stored form of a UUID), `cached_statements` (writes leave a connection's
//! prepared statements prepared) and `rows_table` (a create is one statement
//! reading its rows from `ashore_rows`).

use crate::testing::test_resource;
use chrono::{DateTime, TimeZone, Utc};
use rusqlite::Connection;
use std::rc::Rc;
use std::time::Duration;
use uuid::Uuid;

use super::codec::{Bind, decode, encode_datetime, nan_attribute};
use super::*;
use crate::data_layer::columns::sqlite::Found;
use crate::data_layer::sql::Param;
use crate::data_layer::{DataLayer, ReadRequest, Records};
use crate::error::Constraint;
use crate::error::ErrorKind;
use crate::resource::{AttributeInfo, Generated, RelationshipInfo, RelationshipKind, Row, Schema};
use crate::value::ValueType;

mod cached_statements;
mod end_to_end;
mod failures;
mod pool;
mod rows_table;
mod stored_uuids;
mod values;

test_resource!(Rep in "rep", id: i64 = Some(Generated::Integer),
    { name: String, threshold: Option<i64> }
    &[RelationshipInfo::new("tickets", RelationshipKind::HasMany, Ticket::schema, "id", Some("rep_id"))]);

test_resource!(Ticket in "ticket", id: i64 = Some(Generated::Integer),
{
    rep_id: Option<i64>,
    subject: String,
    priority: i16,
    score: Option<f64>,
    urgent: bool,
    opened: Option<DateTime<Utc>>,
    tag_id: Option<Uuid>
}
&[
    RelationshipInfo::new("representative", RelationshipKind::BelongsTo, Rep::schema, "rep_id", None),
    RelationshipInfo::new("tag", RelationshipKind::BelongsTo, Tag::schema, "tag_id", None),
]);

test_resource!(Tag in "tag", id: Uuid = Some(Generated::Uuid), { label: String } &[]);

/// A new in-memory layer with the tables of `Rep`, `Tag` and `Ticket`.
async fn migrated_memory() -> Sqlite {
    let sqlite = Sqlite::memory().expect("memory");
    sqlite
        .migrate(vec![Rep::schema(), Tag::schema(), Ticket::schema()])
        .await
        .expect("migrate");
    sqlite
}

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

fn micros(secs: i64, micros: u32) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, micros * 1000)
        .single()
        .expect("a time")
}
