//! The text functions of a filter lowered to closures (see `lower`): each
//! computes what `crate::expr::text` defines, nil when an operand is nil or
//! not text.

use std::rc::Rc;

use super::lower::{Cond, Operand, Val};
use crate::expr::text::{self, Pattern};
use crate::expr::{Func, TextOp};
use crate::value::Value;

/// `lower(x)`, `upper(x)` or `length(x)`.
pub(super) fn func<'a>(f: Func, x: Operand<'a>) -> Val<'a> {
    Box::new(move |slots, ix| match &*x.get(slots, ix) {
        Value::String(s) => match f {
            Func::Lower => Value::String(text::lower(s)),
            Func::Upper => Value::String(text::upper(s)),
            Func::Length => Value::Int(text::length(s)),
        },
        _ => Value::Null,
    })
}

/// `contains`, `starts_with`, `ends_with` (booleans) or `concat` (text);
/// `like` and `ilike` have [`like`].
pub(super) fn text_op<'a>(op: TextOp, l: Operand<'a>, r: Operand<'a>) -> Val<'a> {
    Box::new(move |slots, ix| {
        let (l, r) = (l.get(slots, ix), r.get(slots, ix));
        let (Value::String(l), Value::String(r)) = (&*l, &*r) else {
            return Value::Null;
        };
        match op {
            TextOp::Contains => Value::Bool(l.contains(r.as_str())),
            TextOp::StartsWith => Value::Bool(l.starts_with(r.as_str())),
            TextOp::EndsWith => Value::Bool(l.ends_with(r.as_str())),
            TextOp::Concat => Value::String(format!("{l}{r}")),
            TextOp::Like => Value::Bool(text::like(l, r)),
            TextOp::Ilike => Value::Bool(text::ilike(l, r)),
        }
    })
}

/// `like(x, pattern)` (`ilike` when `fold`), the pattern parsed once; nil
/// when there is no text pattern.
pub(super) fn like<'a>(x: Operand<'a>, pattern: Option<Rc<Pattern>>, fold: bool) -> Cond<'a> {
    let Some(pattern) = pattern else {
        return Box::new(|_, _| None);
    };
    Box::new(move |slots, ix| match &*x.get(slots, ix) {
        Value::String(s) => Some(pattern.matches(s, fold)),
        _ => None,
    })
}
