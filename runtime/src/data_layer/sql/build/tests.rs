//! Tests of the SQL builder: the text of representative statements on both
//! dialects (`text`), and the statements run on real databases against the
//! in-memory layer on the same data (`sqlite` always with the feature,
//! `postgres` when `ASHORE_PG_URL` names a database), through fixed and
//! randomly generated filters, sorts, windows, partitions and visibility
//! conditions.
//!
//! The resources are written by hand (no `resource!`): `Rep` has many `Ticket`s,
//! a `Ticket` belongs to a `Rep` and has many `Tag`s through `TicketTag`; a
//! `Rep` has one `twin` (the ticket with its id: to the primary key, so joined)
//! and one `latest` ticket (by `rep_id`, not unique, so never joined). Three
//! relationships have no attributes (`parent(..)` in their filters): a `Rep`'s
//! tickets `above` its threshold, its `peers` (tickets whose `p` is its
//! threshold, or tagged with its name: no equality to look up by), and a
//! ticket's `siblings` (the other tickets of its status). The manual
//! `remote_open_above` has a condition (that of `above`) and a filter;
//! `top_above` is the has_one of `above` (sorted), for sort keys.

use crate::testing::test_resource;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::super::{Columns, Dialect, Param, Statement};
use crate::data_layer::memory::Memory;
use crate::data_layer::{DataLayer, Partition, PartitionBy, ReadRequest};
use crate::error::ErrorKind;
use crate::expr::{ArithOp, CmpOp, Expr, Name, TextOp};
use crate::resource::{
    AttributeInfo, Generated, RelationshipInfo, RelationshipKind, Resource, Row, Schema, Through,
};
use crate::sort::{Order, Sort};
use crate::value::{Value, ValueType};

const fn tags_rel(name: &'static str, filter: Option<fn() -> Expr>) -> RelationshipInfo {
    RelationshipInfo {
        through: Some(Through {
            resource: TicketTag::schema,
            source_attribute_on_join_resource: "ticket_id",
            destination_attribute_on_join_resource: "tag_id",
        }),
        filter,
        ..RelationshipInfo::new(name, RelationshipKind::ManyToMany, Tag::schema, "id", None)
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

/// `rel` with no attributes: `filter`, reading the source through
/// `parent(..)`, relates the records.
const fn no_attributes(
    name: &'static str,
    kind: RelationshipKind,
    filter: fn() -> Expr,
) -> RelationshipInfo {
    RelationshipInfo {
        no_attributes: true,
        filter: Some(filter),
        ..RelationshipInfo::new(name, kind, Ticket::schema, "id", None)
    }
}

fn above_threshold() -> Expr {
    Expr::cmp(CmpOp::Eq, Expr::attr("rep_id"), Expr::parent("id")).and(Expr::cmp(
        CmpOp::Gt,
        Expr::attr("p"),
        Expr::parent("threshold"),
    ))
}

fn at_threshold_or_tagged() -> Expr {
    Expr::cmp(CmpOp::Eq, Expr::attr("p"), Expr::parent("threshold")).or(Expr::Exists {
        path: vec![Name::from("tags")],
        expr: Box::new(Expr::cmp(
            CmpOp::Eq,
            Expr::attr("label"),
            Expr::parent("name"),
        )),
    })
}

fn p_desc() -> Vec<Sort> {
    vec![Sort::new("p", Order::Desc)]
}

fn same_status() -> Expr {
    Expr::cmp(CmpOp::Eq, Expr::attr("status"), Expr::parent("status")).and(Expr::cmp(
        CmpOp::Ne,
        Expr::attr("id"),
        Expr::parent("id"),
    ))
}

fn urgent_only() -> Expr {
    Expr::cmp(CmpOp::Eq, Expr::attr("label"), Expr::Value(s("urgent")))
}

test_resource!(Rep in "rep", id: i64 = Some(Generated::Integer), {
    name: String,
    threshold: Option<i64>,
    score: Option<f64>,
    active: Option<bool>
} &[
    RelationshipInfo::new("tickets", RelationshipKind::HasMany, Ticket::schema, "id", Some("rep_id")),
    RelationshipInfo {
        filter: Some(open_only),
        ..RelationshipInfo::new("open_tickets", RelationshipKind::HasMany, Ticket::schema, "id", Some("rep_id"))
    },
    RelationshipInfo {
        filter: Some(tagged_vip),
        ..RelationshipInfo::new("vip_tickets", RelationshipKind::HasMany, Ticket::schema, "id", Some("rep_id"))
    },
    RelationshipInfo {
        manual: true,
        ..RelationshipInfo::new("remote", RelationshipKind::HasMany, Ticket::schema, "id", None)
    },
    // To the destination's primary key: at most one ticket (the one whose id is
    // the rep's), joined in the statement.
    RelationshipInfo::new("twin", RelationshipKind::HasOne, Ticket::schema, "id", None),
    RelationshipInfo {
        filter: Some(open_only),
        ..RelationshipInfo::new("open_twin", RelationshipKind::HasOne, Ticket::schema, "id", None)
    },
    // Not to the primary key: every ticket of the rep, as for has_many.
    RelationshipInfo::new("latest", RelationshipKind::HasOne, Ticket::schema, "id", Some("rep_id")),
    no_attributes("above", RelationshipKind::HasMany, above_threshold),
    no_attributes("peers", RelationshipKind::HasMany, at_threshold_or_tagged),
    // A has_one of it, highest `p` first: what a sort key through it reads.
    RelationshipInfo {
        sort: p_desc,
        ..no_attributes("top_above", RelationshipKind::HasOne, above_threshold)
    },
    // Manual, with a condition: filters and aggregates go through it as
    // through `above`, with its own filter too.
    RelationshipInfo {
        manual: true,
        condition: Some(above_threshold),
        filter: Some(open_only),
        ..RelationshipInfo::new("remote_open_above", RelationshipKind::HasMany, Ticket::schema, "id", None)
    },
]);

test_resource!(Ticket in "ticket", id: i64 = Some(Generated::Integer), {
    rep_id: Option<i64>,
    p: Option<i64>,
    status: Option<String>,
    score: Option<f64>,
    urgent: Option<bool>,
    opened: Option<DateTime<Utc>>,
    ext: Option<Uuid>,
    small: Option<i16>
} &[
    RelationshipInfo::new("representative", RelationshipKind::BelongsTo, Rep::schema, "rep_id", None),
    tags_rel("tags", None),
    tags_rel("urgent_tags", Some(urgent_only)),
    no_attributes("siblings", RelationshipKind::HasMany, same_status),
]);

test_resource!(Tag in "tag", id: i64 = Some(Generated::Integer), { label: String } &[
    RelationshipInfo {
        through: Some(Through {
            resource: TicketTag::schema,
            source_attribute_on_join_resource: "tag_id",
            destination_attribute_on_join_resource: "ticket_id",
        }),
        ..RelationshipInfo::new("tickets", RelationshipKind::ManyToMany, Ticket::schema, "id", None)
    },
]);

// No belongs_to: no foreign keys, so links may dangle on every database.
test_resource!(TicketTag in "ticket_tag", id: i64 = Some(Generated::Integer), { ticket_id: i64, tag_id: i64 } &[]);

// A table name that needs quoting.
test_resource!(Odd in "we\"ird", id: i64 = Some(Generated::Integer), { label: Option<String> } &[]);

// After the resources: the submodules use `test_resource!`.
mod aggregates;
mod creates;
#[cfg(all(feature = "decimal", feature = "json"))]
mod decimal_keys;
mod differential;
mod fixtures;
mod functions;
mod generate;
mod grouped;
mod identities;
mod joins;
mod keyed;
mod parents;
#[cfg(feature = "postgres")]
mod postgres;
mod random_aggregates;
mod sorting;
#[cfg(feature = "sqlite")]
mod sqlite;
mod text;
mod visibility;
mod writes;

use fixtures::*;

/// The partition of a many_to_many load of tags: by the tickets with keys
/// `keys`, through `TicketTag`.
fn tags_of_tickets(keys: Vec<Value>) -> Partition {
    Partition {
        by: PartitionBy::Through {
            join: TicketTag::schema(),
            source_attribute_on_join: "ticket_id",
            destination_attribute_on_join: "tag_id",
            destination_attribute: "id",
        },
        keys,
    }
}

fn schemas() -> Vec<&'static Schema> {
    vec![
        Rep::schema(),
        Ticket::schema(),
        Tag::schema(),
        TicketTag::schema(),
    ]
}
