//! Planning a scope's expression for batches: each node of a condition
//! becomes a `Plan` over the distinct columns it reads (`Read`, one per slot
//! and attribute, shared by every node reading it) and the `parent(..)`
//! attributes it reads; a node batches do not handle makes no plan.

use super::{Kind, Leaves, Operand, Plan, Read, code};
use crate::data_layer::eval::Node;
use crate::data_layer::eval::lower::{Accepts, Column, as_truth};
use crate::data_layer::store::Table;

/// The position of the read of `attr` of `slot`'s records in `reads`, added
/// when new.
pub(super) fn read<'a>(
    reads: &mut Vec<Read<'a>>,
    slot: usize,
    table: &'a dyn Table,
    attr: usize,
    kind: Kind,
) -> usize {
    let same = |r: &Read<'_>| r.slot == slot && r.attr == attr && r.kind == kind;
    match reads.iter().position(same) {
        Some(i) => i,
        None => {
            reads.push(Read {
                slot,
                table,
                attr,
                kind,
            });
            reads.len() - 1
        }
    }
}

fn column<'a>(leaves: &mut Leaves<'a>, c: &Column<'a>) -> usize {
    read(&mut leaves.reads, c.slot, c.table, c.attr, Kind::of(c.ty))
}

/// The plan of condition `node`, `None` when batches do not handle it.
pub(super) fn plan<'a>(leaves: &mut Leaves<'a>, node: &Node<'a>) -> Option<Plan> {
    Some(match node {
        Node::Const(v) => Plan::Const(code(as_truth(v))),
        Node::Attr(c) => Plan::Truth(column(leaves, c)),
        Node::Cmp(op, l, r) => {
            Plan::Cmp(Accepts::of(*op), operand(leaves, l)?, operand(leaves, r)?)
        }
        Node::In(x, list) => match &**x {
            Node::Attr(c) => Plan::In(column(leaves, c), list.clone()),
            _ => return None,
        },
        Node::And(l, r) => Plan::And(Box::new(plan(leaves, l)?), Box::new(plan(leaves, r)?)),
        Node::Or(l, r) => Plan::Or(Box::new(plan(leaves, l)?), Box::new(plan(leaves, r)?)),
        Node::Not(e) => Plan::Not(Box::new(plan(leaves, e)?)),
        Node::IsNil(e) => match &**e {
            Node::Attr(c) => Plan::IsNil(column(leaves, c)),
            Node::Const(v) => Plan::Const(code(Some(v.is_null()))),
            _ => return None,
        },
        Node::Arith(..)
        | Node::Func(..)
        | Node::TextOp(..)
        | Node::Like { .. }
        | Node::Exists(..)
        | Node::Parent(..)
        | Node::Aggregate(..) => return None,
    })
}

fn operand<'a>(leaves: &mut Leaves<'a>, node: &Node<'a>) -> Option<Operand> {
    match node {
        Node::Const(v) => Some(Operand::Const(v.clone())),
        Node::Attr(c) => Some(Operand::Column(column(leaves, c))),
        Node::Parent(p) => {
            leaves.parents.push(p.clone());
            Some(Operand::Parent(leaves.parents.len() - 1))
        }
        _ => None,
    }
}
