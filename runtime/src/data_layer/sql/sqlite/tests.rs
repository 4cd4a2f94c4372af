//! Tests of the SQLite layer, on hand-written resources: `values` (encoding
//! through a real SQLite), `failures` (URLs, constraint errors), `pool` (connection
//! set-up, the in-memory database, raw SQL) and `end_to_end` (reads, creates and
//! migrations on the statements `build` makes).

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::Connection;
use std::rc::Rc;
use uuid::Uuid;

use super::codec::{Bind, Found, decode, encode_datetime, nan_attribute};
use super::*;
use crate::data_layer::sql::Param;
use crate::data_layer::{DataLayer, ReadRequest, Records};
use crate::error::Constraint;
use crate::expr::{Fields, Path};
use crate::resource::{AttributeInfo, Generated, RelationshipInfo, RelationshipKind, Row, Schema};
use crate::value::{Scalar, ValueType};

mod end_to_end;
mod failures;
mod pool;
mod values;

/// The generated `Fields` stand-in.
struct F(Path);

impl Fields for F {
    fn at(path: Path) -> Self {
        F(path)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

fn take<T: Scalar>(
    values: &mut impl Iterator<Item = Value>,
    resource: &'static str,
    attribute: &'static str,
) -> Result<T> {
    T::from_value(values.next().unwrap_or_default()).map_err(|found| {
        Error::new(ErrorKind::TypeMismatch {
            resource,
            attribute,
            expected: "another type",
            found,
        })
    })
}

/// A hand-written resource: primary key `id` of type `$pk` generated as `$generated`,
/// then `fields`, kept in table `$table`.
macro_rules! test_resource {
    ($name:ident in $table:literal, id: $pk:ty = $generated:expr,
     { $($field:ident : $ty:ty),* } $rels:expr) => {
        #[derive(Clone, Debug, PartialEq)]
        struct $name {
            id: $pk,
            $($field: $ty),*
        }

        impl Resource for $name {
            type PrimaryKey = $pk;
            type Fields = F;
            fn schema() -> &'static Schema {
                static SCHEMA: Schema = Schema {
                    name: stringify!($name),
                    table: $table,
                    attributes: &[
                        AttributeInfo {
                            name: "id",
                            value_type: <$pk as Scalar>::TYPE,
                            nullable: false,
                            generated: Some($generated),
                        },
                        $(AttributeInfo {
                            name: stringify!($field),
                            value_type: <$ty as Scalar>::TYPE,
                            nullable: <$ty as Scalar>::NULLABLE,
                            generated: None,
                        }),*
                    ],
                    primary_key: 0,
                    relationships: $rels,
                    new_table: crate::store::new_table::<$name>,
                };
                &SCHEMA
            }
            fn get(&self, index: usize) -> Value {
                [self.id.clone().into_value(), $(self.$field.clone().into_value()),*]
                    .into_iter()
                    .nth(index)
                    .unwrap_or_default()
            }
            fn primary_key(&self) -> $pk {
                self.id.clone()
            }
            fn from_row(row: Row) -> Result<Self> {
                let mut values = row.into_iter();
                let name = stringify!($name);
                Ok($name {
                    id: take(&mut values, name, "id")?,
                    $($field: take(&mut values, name, stringify!($field))?),*
                })
            }
        }
    };
}

const fn rel(
    name: &'static str,
    kind: RelationshipKind,
    destination: fn() -> &'static Schema,
    source_attribute: &'static str,
    destination_attribute: Option<&'static str>,
) -> RelationshipInfo {
    RelationshipInfo {
        name,
        kind,
        manual: false,
        destination,
        source_attribute,
        destination_attribute,
        through: None,
        filter: None,
        sort: Vec::new,
    }
}

test_resource!(Rep in "rep", id: i64 = Generated::Integer,
    { name: String, threshold: Option<i64> }
    &[rel("tickets", RelationshipKind::HasMany, Ticket::schema, "id", Some("rep_id"))]);

test_resource!(Ticket in "ticket", id: i64 = Generated::Integer,
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
    rel("representative", RelationshipKind::BelongsTo, Rep::schema, "rep_id", None),
    rel("tag", RelationshipKind::BelongsTo, Tag::schema, "tag_id", None),
]);

test_resource!(Tag in "tag", id: Uuid = Generated::Uuid, { label: String } &[]);

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

fn micros(secs: i64, micros: u32) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, micros * 1000)
        .single()
        .expect("a time")
}
