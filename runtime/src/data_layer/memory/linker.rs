//! How the rows of a partitioned read in memory are linked to the partition's
//! keys: by the value of an attribute, the key itself (hashed as an `i64` or a
//! UUID's `u128` when every key is one) or, for a many_to_many, through the
//! join table's records.

use foldhash::{HashMap, HashMapExt};

use super::super::eval::{Filter, Tables, related_rows};
use super::super::*;
use super::{invalid, not_registered};
use crate::resource::Table;
use crate::value::Value;

/// How rows of the read table are linked to partition keys: by the value of
/// `attr`, looked up in `links`.
pub(super) struct Linker<'k> {
    pub(super) attr: usize,
    links: Links<'k>,
}

enum Links<'k> {
    /// The value is a key, every key an integer: key → its position. Hashed as
    /// an `i64`, not as a `Value` (the loop of most loads).
    Ints(HashMap<i64, usize>),
    /// The same for UUID keys, as `Uuid::as_u128` (hashed as one `u128`).
    Uuids(HashMap<u128, usize>),
    /// The value is a key: key value → its position.
    Direct(HashMap<&'k Value, usize>),
    /// Through a join table: destination value → positions of its keys.
    Through(HashMap<Value, Vec<usize>>),
}

impl<'k> Linker<'k> {
    /// The linker of a read of `schema`; a join record the join resource's
    /// visibility condition hides links nothing.
    pub(super) fn new(
        schema: &'static Schema,
        partition: &'k Partition,
        visibility: &Visibility,
        tables: &super::Store,
    ) -> Result<Self> {
        let attribute = |s: &'static Schema, name: &str| {
            s.attribute_index(name).ok_or_else(|| {
                invalid(
                    schema,
                    format!("no attribute named `{name}` on {} to partition by", s.name),
                )
            })
        };
        match &partition.by {
            PartitionBy::Attribute(a) => Ok(Linker {
                attr: attribute(schema, a)?,
                links: Links::direct(&partition.keys),
            }),
            PartitionBy::Through {
                join,
                source_attribute_on_join,
                destination_attribute_on_join,
                destination_attribute,
            } => {
                let positions: HashMap<&'k Value, usize> = group_positions(partition.keys.iter());
                let attr = attribute(schema, destination_attribute)?;
                let source = attribute(join, source_attribute_on_join)?;
                let dest = attribute(join, destination_attribute_on_join)?;
                let join_table = tables.table(join).ok_or_else(|| not_registered(join))?;
                let visible = Filter::visible(schema, join, visibility, tables)?;
                let mut links: HashMap<Value, Vec<usize>> = HashMap::new();
                for j in 0..join_table.len() {
                    let Some(&pos) = positions.get(&join_table.get(j, source)) else {
                        continue;
                    };
                    if visible.as_ref().is_some_and(|v| !v.matches(j)) {
                        continue;
                    }
                    let d = join_table.get(j, dest);
                    if d.is_null() {
                        continue;
                    }
                    let linked = links.entry(d).or_default();
                    if !linked.contains(&pos) {
                        linked.push(pos);
                    }
                }
                for linked in links.values_mut() {
                    linked.sort_unstable();
                }
                Ok(Linker {
                    attr,
                    links: Links::Through(links),
                })
            }
            PartitionBy::Parent {
                source,
                relationship,
            } => {
                // Each key's stored source record, then the rows its
                // relationship reaches, keyed by their primary key.
                let primary = tables
                    .primary_index(source)
                    .ok_or_else(|| not_registered(source))?;
                let positions: HashMap<&'k Value, usize> = group_positions(partition.keys.iter());
                let mut sources: Vec<(usize, usize)> = positions
                    .iter()
                    .filter_map(|(key, &pos)| primary.get(key).map(|&row| (row, pos)))
                    .collect();
                sources.sort_unstable_by_key(|&(_, pos)| pos);
                let rows: Vec<usize> = sources.iter().map(|&(row, _)| row).collect();
                let related =
                    related_rows(schema, source, relationship.name, &rows, visibility, tables)?;
                let table = tables.table(schema).ok_or_else(|| not_registered(schema))?;
                let attr = schema.primary_key;
                let mut links: HashMap<Value, Vec<usize>> = HashMap::new();
                for (&(_, pos), reached) in sources.iter().zip(related) {
                    for r in reached {
                        let linked = links.entry(table.get(r, attr)).or_default();
                        if !linked.contains(&pos) {
                            linked.push(pos);
                        }
                    }
                }
                Ok(Linker {
                    attr,
                    links: Links::Through(links),
                })
            }
        }
    }

    /// Positions of the keys row `row` of `table` belongs to (by its linking
    /// attribute). Always inlined, as [`Linker::keys_of`]; an integer or UUID
    /// key is read as such, not as a `Value` (which the compiler would drop
    /// out of line: a call per row of a scan, 8% of a load of 10).
    #[inline(always)]
    pub(super) fn keys_of_row(&self, table: &dyn Table, row: usize) -> Option<&[usize]> {
        match &self.links {
            Links::Ints(map) => map
                .get(&table.get_int(row, self.attr)?)
                .map(std::slice::from_ref),
            Links::Uuids(map) => map
                .get(&table.get_uuid(row, self.attr)?.as_u128())
                .map(std::slice::from_ref),
            _ => self.keys_of(&table.get(row, self.attr)),
        }
    }

    /// Positions of the keys a row whose linking attribute is `value` belongs to.
    /// Always inlined: a call per row of a scan, and left out of line it makes
    /// the caller drop each row's `Value` out of line too (~1 M instructions a
    /// load of 10 in memory, callgrind).
    #[inline(always)]
    pub(super) fn keys_of(&self, value: &Value) -> Option<&[usize]> {
        match (&self.links, value) {
            (Links::Ints(map), Value::Int(i)) => map.get(i).map(std::slice::from_ref),
            (Links::Uuids(map), Value::Uuid(u)) => map.get(&u.as_u128()).map(std::slice::from_ref),
            // A value of another type equals no key (as `Value`'s `==` says).
            (Links::Ints(_) | Links::Uuids(_), _) => None,
            (Links::Direct(map), _) => map.get(value).map(std::slice::from_ref),
            (Links::Through(map), _) => map.get(value).map(Vec::as_slice),
        }
    }
}

impl<'k> Links<'k> {
    /// The position of each key (the first, for a key given twice; nil keys
    /// link nothing), typed when every key is an integer or every key a UUID.
    fn direct(keys: &'k [Value]) -> Self {
        fn typed<K: Eq + std::hash::Hash>(
            keys: &[Value],
            of: impl Fn(&Value) -> Option<K>,
        ) -> Option<HashMap<K, usize>> {
            let mut positions = HashMap::with_capacity(keys.len());
            for (i, key) in keys.iter().enumerate() {
                if !key.is_null() {
                    positions.entry(of(key)?).or_insert(i);
                }
            }
            Some(positions)
        }
        let int = |v: &Value| match v {
            Value::Int(i) => Some(*i),
            _ => None,
        };
        let uuid = |v: &Value| match v {
            Value::Uuid(u) => Some(u.as_u128()),
            _ => None,
        };
        match keys.iter().find(|k| !k.is_null()) {
            Some(Value::Int(_)) => typed(keys, int).map(Links::Ints),
            Some(Value::Uuid(_)) => typed(keys, uuid).map(Links::Uuids),
            _ => None,
        }
        .unwrap_or_else(|| Links::Direct(group_positions(keys.iter())))
    }
}
