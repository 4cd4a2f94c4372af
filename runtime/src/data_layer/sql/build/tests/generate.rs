//! Random requests for the differential tests: filters of every shape over the
//! test resources (paths, exists, arithmetic, text functions, lists with nils,
//! values of the wrong type, now and then a name that does not exist), sorts, windows,
//! partitions and visibility conditions. Deterministic: a seed gives the same
//! requests.

use super::*;
use crate::data_layer::Visibility;

/// xorshift64*: small, deterministic, good enough to pick cases.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(super) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The value types a filter deals in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum K {
    Bool,
    Int,
    Float,
    Text,
    Uuid,
    Time,
}

const KINDS: [K; 6] = [K::Bool, K::Int, K::Float, K::Text, K::Uuid, K::Time];

fn kind_of(t: ValueType) -> K {
    match t {
        ValueType::Bool => K::Bool,
        ValueType::I16 | ValueType::I32 | ValueType::I64 => K::Int,
        ValueType::F64 => K::Float,
        ValueType::String => K::Text,
        ValueType::Uuid => K::Uuid,
        ValueType::DateTime => K::Time,
        other => unreachable!("the random schemas hold no {other:?} attribute"),
    }
}

pub(super) struct Gen {
    pub(super) rng: Rng,
}

impl Gen {
    fn constant(&mut self, kind: K) -> Value {
        let r = &mut self.rng;
        if r.chance(8) {
            return Value::Null;
        }
        let kind = if r.chance(5) { *r.pick(&KINDS) } else { kind };
        match kind {
            K::Bool => Value::Bool(r.chance(50)),
            K::Int => Value::Int(*r.pick(&[
                -7,
                -3,
                -1,
                0,
                1,
                2,
                3,
                4,
                5,
                9,
                12,
                32_767,
                i64::MAX,
                i64::MIN,
            ])),
            K::Float => Value::Float(*r.pick(&[0.5, 2.0, -1.5, 4.0, 0.0, -0.0, 1e10, 3.0, 9.5])),
            K::Text => s(r.pick::<&str>(&[
                "open", "closed", "Open", "", "vip", "urgent", "ann", "Dé", "z", "é", "DÉ", "σ",
                "ΣΑΣ_%", "%", "_", "o",
            ])),
            K::Uuid => Value::Uuid(uuid(*r.pick(&[1, 2, 3, 4, 5, 6]))),
            K::Time => Value::DateTime(at(*r.pick(&[0, 1, 3, 5, 8, 9]))),
        }
    }

    /// A path of 0 to `max` relationships from `schema` (a manual one when it
    /// has a condition), now and then through a manual relationship without
    /// one or one that does not exist.
    pub(super) fn path(
        &mut self,
        schema: &'static Schema,
        max: usize,
    ) -> (Vec<Name>, &'static Schema) {
        let mut path = Vec::new();
        let mut at = schema;
        let hops = self.rng.below(max + 1);
        for _ in 0..hops {
            if self.rng.chance(1) {
                path.push(Name::from("nowhere"));
                return (path, at);
            }
            let candidates: Vec<&RelationshipInfo> = at
                .relationships
                .iter()
                .filter(|r| !r.manual || r.condition.is_some() || self.rng.chance(3))
                .collect();
            if candidates.is_empty() {
                break;
            }
            let rel = *self.rng.pick(&candidates);
            path.push(Name::from(rel.name));
            at = (rel.destination)();
        }
        (path, at)
    }

    fn attribute(&mut self, schema: &'static Schema, kind: K, hops: usize) -> Expr {
        let (path, at) = self.path(schema, hops);
        if self.rng.chance(1) {
            return Expr::path_attr(path, "nope");
        }
        let of_kind: Vec<&AttributeInfo> = at
            .attributes
            .iter()
            .filter(|a| kind_of(a.value_type) == kind)
            .collect();
        let a = if of_kind.is_empty() || self.rng.chance(5) {
            self.rng.pick(at.attributes)
        } else {
            *self.rng.pick(&of_kind)
        };
        Expr::path_attr(path, a.name)
    }

    /// An aggregate of `schema` whose value is of `kind`, over a path of one
    /// or two relationships (now and then a manual or missing one), now and
    /// then with a filter; `None` when the path reaches no field of the kind.
    /// Integer `sum`s among them (some of the data's pass `i64`: nil on
    /// every layer).
    fn aggregate(&mut self, schema: &'static Schema, depth: usize, kind: K) -> Option<Expr> {
        use crate::expr::{Aggregate, AggregateKind as A};
        let (path, at) = self.path(schema, 2);
        if path.is_empty() {
            return None;
        }
        let fields: Vec<&AttributeInfo> = at
            .attributes
            .iter()
            .filter(|a| match kind {
                K::Float => matches!(kind_of(a.value_type), K::Int | K::Float),
                k => kind_of(a.value_type) == k,
            })
            .collect();
        let (aggregate_kind, field) = match kind {
            K::Bool => (A::Exists, None),
            K::Int if self.rng.chance(40) => (A::Count, None),
            K::Int if !fields.is_empty() && self.rng.chance(30) => {
                (A::Sum, Some(self.rng.pick(&fields).name))
            }
            K::Float if !fields.is_empty() && self.rng.chance(50) => {
                (A::Avg, Some(self.rng.pick(&fields).name))
            }
            K::Float => {
                let floats: Vec<&AttributeInfo> = fields
                    .iter()
                    .copied()
                    .filter(|a| a.value_type == ValueType::F64)
                    .collect();
                if floats.is_empty() {
                    return None;
                }
                let which = *self.rng.pick(&[A::Sum, A::Min, A::Max, A::First]);
                (which, Some(self.rng.pick(&floats).name))
            }
            _ if fields.is_empty() => return None,
            K::Uuid => (A::First, Some(self.rng.pick(&fields).name)),
            _ => {
                let which = *self.rng.pick(&[A::Min, A::Max, A::First]);
                (which, Some(self.rng.pick(&fields).name))
            }
        };
        let mut aggregate = Aggregate::new(aggregate_kind, path);
        aggregate.field = field.map(Name::from);
        if depth > 0 && self.rng.chance(40) {
            aggregate.filter = Some(self.cond(at, depth - 1));
        }
        Some(Expr::Aggregate {
            at: Vec::new(),
            aggregate: Box::new(aggregate),
        })
    }

    fn value(&mut self, schema: &'static Schema, depth: usize, kind: K) -> Expr {
        if depth > 0
            && self.rng.chance(8)
            && let Some(aggregate) = self.aggregate(schema, depth, kind)
        {
            return aggregate;
        }
        match self.rng.below(10) {
            0..=3 => self.attribute(schema, kind, 2),
            4 | 5 => Expr::Value(self.constant(kind)),
            6..=8 if depth > 0 && kind == K::Text => self.text_value(schema, depth - 1),
            6..=8 if depth > 0 && kind == K::Int && self.rng.chance(25) => {
                Expr::length(self.text_operand(schema, depth - 1))
            }
            6..=8 if depth > 0 && matches!(kind, K::Int | K::Float) => {
                let op = *self
                    .rng
                    .pick(&[ArithOp::Add, ArithOp::Sub, ArithOp::Mul, ArithOp::Div]);
                let l = if kind == K::Float && self.rng.chance(50) {
                    K::Float
                } else {
                    K::Int
                };
                let r = if self.rng.chance(20) {
                    K::Float
                } else {
                    K::Int
                };
                let r = if self.rng.chance(3) { K::Text } else { r };
                arith(
                    op,
                    self.value(schema, depth - 1, l),
                    self.value(schema, depth - 1, r),
                )
            }
            9 if depth > 0 && kind == K::Bool => self.cond(schema, depth - 1),
            _ => self.attribute(schema, kind, 1),
        }
    }

    pub(super) fn cond(&mut self, schema: &'static Schema, depth: usize) -> Expr {
        let choice = self.rng.below(if depth == 0 { 5 } else { 10 });
        match choice {
            0 | 1 => {
                let op = *self.rng.pick(&[
                    CmpOp::Eq,
                    CmpOp::Ne,
                    CmpOp::Lt,
                    CmpOp::Le,
                    CmpOp::Gt,
                    CmpOp::Ge,
                ]);
                let k = *self.rng.pick(&KINDS);
                let other = if self.rng.chance(10) {
                    *self.rng.pick(&KINDS)
                } else if matches!(k, K::Int | K::Float) && self.rng.chance(30) {
                    *self.rng.pick(&[K::Int, K::Float])
                } else {
                    k
                };
                let l = self.value(schema, depth, k);
                let r = self.value(schema, depth, other);
                cmp(op, l, r)
            }
            2 => {
                let k = *self.rng.pick(&KINDS);
                let x = self.value(schema, depth, k);
                let n = self.rng.below(5);
                let list = (0..n).map(|_| self.constant(k)).collect();
                Expr::is_in(x, list)
            }
            3 if self.rng.chance(50) => self.text_test(schema, depth),
            3 => {
                let k = *self.rng.pick(&KINDS);
                is_nil(self.value(schema, depth, k))
            }
            4 => match self.rng.below(6) {
                0 => Expr::Value(self.constant(K::Bool)),
                1 if self.rng.chance(10) => self.attribute(schema, K::Int, 1),
                _ => self.attribute(schema, K::Bool, 2),
            },
            5 => self
                .cond(schema, depth - 1)
                .and(self.cond(schema, depth - 1)),
            6 => self
                .cond(schema, depth - 1)
                .or(self.cond(schema, depth - 1)),
            7 => self.cond(schema, depth - 1).not(),
            _ => {
                let (path, at) = self.path(schema, 2);
                Expr::Exists {
                    path,
                    expr: Box::new(self.cond(at, depth - 1)),
                }
            }
        }
    }

    /// Text, now and then something else (a text function of it is nil).
    fn text_operand(&mut self, schema: &'static Schema, depth: usize) -> Expr {
        let kind = if self.rng.chance(5) {
            *self.rng.pick(&KINDS)
        } else {
            K::Text
        };
        self.value(schema, depth, kind)
    }

    /// `lower`, `upper` or `concat` of text operands.
    fn text_value(&mut self, schema: &'static Schema, depth: usize) -> Expr {
        let x = self.text_operand(schema, depth);
        match self.rng.below(3) {
            0 => Expr::lower(x),
            1 => Expr::upper(x),
            _ => Expr::concat(x, self.text_operand(schema, depth)),
        }
    }

    /// `contains`, `starts_with`, `ends_with`, `like` or `ilike`; a pattern
    /// is a constant with wildcards, escapes and non-ASCII letters, now and
    /// then nil, of another type, or not a constant (an error on every layer).
    fn text_test(&mut self, schema: &'static Schema, depth: usize) -> Expr {
        let x = self.text_operand(schema, depth);
        let op = *self.rng.pick(&[
            TextOp::Contains,
            TextOp::StartsWith,
            TextOp::EndsWith,
            TextOp::Like,
            TextOp::Ilike,
        ]);
        let other = if !matches!(op, TextOp::Like | TextOp::Ilike) || self.rng.chance(2) {
            self.text_operand(schema, depth)
        } else if self.rng.chance(10) {
            Expr::Value(self.constant(K::Text))
        } else {
            text(self.rng.pick::<&str>(&[
                "%",
                "",
                "o%",
                "%n",
                "_pen",
                "O%",
                "%é",
                "D_",
                "d%",
                "\\%",
                "%\\_%",
                "Σ%",
                "%σ%_",
                "ΣΑΣ\\_\\%",
                "%\\",
            ]))
        };
        Expr::TextOp(op, Box::new(x), Box::new(other))
    }

    /// A read of `schema`: a filter most of the time, sometimes a sort, a window
    /// and a partition.
    pub(super) fn request(&mut self, schema: &'static Schema) -> ReadRequest {
        let mut request = ReadRequest::new(schema);
        if self.rng.chance(85) {
            request.filter = Some(self.cond(schema, 3));
        }
        let sorts = self.rng.below(3);
        for _ in 0..sorts {
            let (path, at) = self.sort_path(schema);
            let a = self.rng.pick(at.attributes);
            let order = *self.rng.pick(&[
                Order::Asc,
                Order::Desc,
                Order::AscNilsFirst,
                Order::DescNilsLast,
            ]);
            let field = if self.rng.chance(1) { "nope" } else { a.name };
            request.sort.push(Sort::path(path, field, order));
        }
        if self.rng.chance(30) {
            request.offset = self.rng.below(4);
        }
        if self.rng.chance(40) {
            request.limit = Some(self.rng.below(5));
        }
        if self.rng.chance(40) {
            request.partition = self.partition(schema);
        }
        if self.rng.chance(50) {
            request.visibility = self.visibility();
        }
        request
    }

    /// The relationship path of a sort key from `schema` (often none; to-one
    /// relationships, now and then a to-many or manual one, which every layer
    /// refuses alike) and the resource it ends at.
    fn sort_path(&mut self, schema: &'static Schema) -> (Vec<Name>, &'static Schema) {
        let mut path = Vec::new();
        let mut at = schema;
        while path.len() < 2 && !at.relationships.is_empty() && self.rng.chance(45) {
            let rel = self.rng.pick(at.relationships);
            if (rel.kind.is_many() || rel.manual) && !self.rng.chance(5) {
                continue;
            }
            path.push(Name::Borrowed(rel.name));
            at = (rel.destination)();
        }
        (path, at)
    }

    /// Conditions on the records of some of the resources (the join resource
    /// too), now and then with paths of their own.
    pub(super) fn visibility(&mut self) -> Visibility {
        let mut conditions = Vec::new();
        for schema in schemas() {
            if self.rng.chance(35) {
                conditions.push((schema, self.cond(schema, 1)));
            }
        }
        Visibility::new(conditions)
    }

    fn partition(&mut self, schema: &'static Schema) -> Option<Partition> {
        let keys = |g: &mut Gen, pool: &[i64]| {
            let mut keys: Vec<Value> = Vec::new();
            for _ in 0..g.rng.below(pool.len()) + 1 {
                let k = Value::Int(*g.rng.pick(pool));
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
            keys
        };
        match schema.name {
            // Through a relationship with no attributes: the keys are those
            // of its source's records.
            "Ticket" if self.rng.chance(40) => {
                let (source, pool): (&'static Schema, &[i64]) = if self.rng.chance(50) {
                    (Rep::schema(), &[1, 2, 3, 4, 5, 42])
                } else {
                    (Ticket::schema(), &[1, 2, 3, 6, 7, 8, 12, 99])
                };
                let parents: Vec<&'static RelationshipInfo> = source
                    .relationships
                    .iter()
                    .filter(|r| r.no_attributes)
                    .collect();
                let relationship = parents[self.rng.below(parents.len())];
                Some(Partition {
                    by: PartitionBy::Parent {
                        source,
                        relationship,
                    },
                    keys: keys(self, pool),
                })
            }
            "Ticket" => Some(Partition {
                by: PartitionBy::Attribute("rep_id"),
                keys: keys(self, &[1, 2, 3, 4, 5, 42]),
            }),
            "Rep" => Some(Partition {
                by: PartitionBy::Attribute("id"),
                keys: keys(self, &[1, 2, 3, 4, 5]),
            }),
            "Tag" => Some(tags_of_tickets(keys(self, &[1, 2, 3, 4, 10, 12, 99]))),
            _ => None,
        }
    }
}
