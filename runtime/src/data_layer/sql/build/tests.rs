//! Tests of the SQL builder: the text of representative statements on both
//! dialects (`text`), and the statements run on real databases against the
//! in-memory layer on the same data (`sqlite` always with the feature,
//! `postgres` when `ASHORE_PG_URL` names a database), through fixed and
//! randomly generated filters, sorts, windows and partitions.
//!
//! The resources are written by hand (no `resource!`): `Rep` has many `Ticket`s,
//! a `Ticket` belongs to a `Rep` and has many `Tag`s through `TicketTag`.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::super::{Columns, Dialect, Param, Statement};
use crate::data_layer::memory::Memory;
use crate::data_layer::{DataLayer, Partition, PartitionBy, ReadRequest};
use crate::error::{Error, ErrorKind, Result};
use crate::expr::{ArithOp, CmpOp, Expr, Fields, Name, Path};
use crate::query::{Order, Sort};
use crate::resource::{
    AttributeInfo, Generated, RelationshipInfo, RelationshipKind, Resource, Row, Schema, Through,
};
use crate::value::{Scalar, Value, ValueType};

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

fn take<T: Scalar>(values: &mut impl Iterator<Item = Value>, resource: &'static str) -> Result<T> {
    T::from_value(values.next().unwrap_or_default()).map_err(|found| {
        Error::new(ErrorKind::TypeMismatch {
            resource,
            attribute: "?",
            expected: "another type",
            found,
        })
    })
}

/// A resource with an integer primary key `id` (generated), stored in `$table`.
macro_rules! test_resource {
    ($name:ident $table:literal { $($field:ident : $ty:ty),* } $rels:expr) => {
        #[derive(Clone, Debug, PartialEq)]
        struct $name {
            id: i64,
            $($field: $ty),*
        }

        impl Resource for $name {
            type PrimaryKey = i64;
            type Fields = F;
            fn schema() -> &'static Schema {
                static SCHEMA: Schema = Schema {
                    name: stringify!($name),
                    table: $table,
                    attributes: &[
                        AttributeInfo {
                            name: "id",
                            value_type: ValueType::I64,
                            nullable: false,
                            generated: Some(Generated::Integer),
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
                [self.id.into_value(), $(self.$field.clone().into_value()),*]
                    .into_iter()
                    .nth(index)
                    .unwrap_or_default()
            }
            fn primary_key(&self) -> i64 {
                self.id
            }
            fn from_row(row: Row) -> Result<Self> {
                let mut values = row.into_iter();
                let name = stringify!($name);
                Ok($name {
                    id: take(&mut values, name)?,
                    $($field: take(&mut values, name)?),*
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

const fn tags_rel(name: &'static str, filter: Option<fn() -> Expr>) -> RelationshipInfo {
    RelationshipInfo {
        through: Some(Through {
            resource: TicketTag::schema,
            source_attribute_on_join_resource: "ticket_id",
            destination_attribute_on_join_resource: "tag_id",
        }),
        filter,
        ..rel(name, RelationshipKind::ManyToMany, Tag::schema, "id", None)
    }
}

fn open_only() -> Expr {
    Expr::cmp(CmpOp::Eq, Expr::attr("status"), Expr::Value(s("open")))
}

fn tagged_vip() -> Expr {
    Expr::cmp(
        CmpOp::Eq,
        Expr::path_attr(["tags"], "label"),
        Expr::Value(s("vip")),
    )
}

fn urgent_only() -> Expr {
    Expr::cmp(CmpOp::Eq, Expr::attr("label"), Expr::Value(s("urgent")))
}

test_resource!(Rep "rep" {
    name: String,
    threshold: Option<i64>,
    score: Option<f64>,
    active: Option<bool>
} &[
    rel("tickets", RelationshipKind::HasMany, Ticket::schema, "id", Some("rep_id")),
    RelationshipInfo {
        filter: Some(open_only),
        ..rel("open_tickets", RelationshipKind::HasMany, Ticket::schema, "id", Some("rep_id"))
    },
    RelationshipInfo {
        filter: Some(tagged_vip),
        ..rel("vip_tickets", RelationshipKind::HasMany, Ticket::schema, "id", Some("rep_id"))
    },
    RelationshipInfo {
        manual: true,
        ..rel("remote", RelationshipKind::HasMany, Ticket::schema, "id", None)
    },
]);

test_resource!(Ticket "ticket" {
    rep_id: Option<i64>,
    p: Option<i64>,
    status: Option<String>,
    score: Option<f64>,
    urgent: Option<bool>,
    opened: Option<DateTime<Utc>>,
    ext: Option<Uuid>,
    small: Option<i16>
} &[
    rel("representative", RelationshipKind::BelongsTo, Rep::schema, "rep_id", None),
    tags_rel("tags", None),
    tags_rel("urgent_tags", Some(urgent_only)),
]);

test_resource!(Tag "tag" { label: String } &[
    RelationshipInfo {
        through: Some(Through {
            resource: TicketTag::schema,
            source_attribute_on_join_resource: "tag_id",
            destination_attribute_on_join_resource: "ticket_id",
        }),
        ..rel("tickets", RelationshipKind::ManyToMany, Ticket::schema, "id", None)
    },
]);

// No belongs_to: no foreign keys, so links may dangle on every database.
test_resource!(TicketTag "ticket_tag" { ticket_id: i64, tag_id: i64 } &[]);

// A table name that needs quoting.
test_resource!(Odd "we\"ird" { label: Option<String> } &[]);

// After the resources: the submodules use `test_resource!`.
mod differential;
mod fixtures;
mod generate;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;
mod text;

use fixtures::*;

fn schemas() -> Vec<&'static Schema> {
    vec![
        Rep::schema(),
        Ticket::schema(),
        Tag::schema(),
        TicketTag::schema(),
    ]
}
