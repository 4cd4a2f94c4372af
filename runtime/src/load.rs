//! The loader: loads one relationship onto a batch of source records with one
//! data-layer read (or one manual `load` call), applies sort, offset and limit per
//! source record, runs nested loads on everything found, and attaches the results.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use crate::data_layer::{BoxFuture, Partition, PartitionBy, ReadRequest};
use crate::domain::Scope;
use crate::error::{Error, ErrorKind, Result};
use crate::manual::{LoadContext, RelatedInner};
use crate::query::{Sort, Unset, compare_for_sort};
use crate::relationship::{Attach, Rel};
use crate::resource::{RelationshipKind, Resource};
use crate::value::Value;

/// A relationship load that can run on records of `S`: what `Query::load` takes.
/// Implemented by [`Rel`]; the loader calls it once per level with every record.
pub trait Load<S: Resource>: Send + Sync + 'static {
    /// The relationship's name.
    fn name(&self) -> &'static str;

    /// Loads onto `records`, in `scope`.
    fn run<'a>(&'a self, records: &'a mut [S], scope: &'a Scope) -> BoxFuture<'a, Result<()>>;
}

/// Related records with the source key each belongs to, in query order.
struct Found<D> {
    keys: Vec<Value>,
    records: Vec<D>,
}

pub(crate) async fn run<S: Resource, D: Resource>(
    rel: &Rel<S, D>,
    parents: &mut [S],
    scope: &Scope,
) -> Result<()> {
    let info = rel.info;
    let source = S::schema();
    if parents.is_empty() {
        return Ok(());
    }

    // The related query: the load's own query, then the relationship's filter and
    // sort, which are part of every load of it.
    let mut query = rel.query.clone();
    if let Some(filter) = info.filter {
        query = query.filter_expr(filter());
    }
    query = query.sort((info.sort)());

    let key_index = if rel.manual.is_some() {
        source.primary_key
    } else {
        source
            .attribute_index(info.source_attribute)
            .ok_or_else(|| invalid::<S>(info.source_attribute))?
    };

    let mut found = match &rel.manual {
        Some(manual) => {
            let unique = unique_by_key(parents, key_index);
            let given: &[S] = unique.as_deref().unwrap_or(parents);
            let ctx = LoadContext {
                query: query
                    .clone()
                    .unset([Unset::Load, Unset::Limit, Unset::Offset]),
                actor: scope.actor(),
                authorize: scope.authorize(),
                tenant: scope.tenant(),
                domain: scope.domain(),
                relationship: info,
                scope,
            };
            tracing::debug!(
                resource = source.name,
                relationship = info.name,
                records = given.len(),
                "manual load"
            );
            let related = manual.load(given, &ctx).await?;
            let found = resolve_manual(related.inner, given, key_index)?;
            if !info.kind.is_many() {
                check_at_most_one(&found.keys)?;
            }
            let found = sort_found::<D>(found, query.get_sort())?;
            window(found, query.get_offset(), query.get_limit())
        }
        None => {
            let keys = distinct_keys(parents, key_index);
            if keys.is_empty() {
                Found {
                    keys: Vec::new(),
                    records: Vec::new(),
                }
            } else {
                let by = match (&info.through, info.kind) {
                    (Some(t), RelationshipKind::ManyToMany) => PartitionBy::Through {
                        join: (t.resource)(),
                        source_attribute_on_join: t.source_attribute_on_join_resource,
                        destination_attribute_on_join: t.destination_attribute_on_join_resource,
                        destination_attribute: info.destination_attribute(),
                    },
                    _ => PartitionBy::Attribute(info.destination_attribute()),
                };
                let mut request = ReadRequest::new(D::schema());
                request.filter = query.get_filter().cloned();
                request.sort = query.get_sort().to_vec();
                request.limit = query.get_limit();
                request.offset = query.get_offset();
                request.partition = Some(Partition { by, keys });
                tracing::debug!(resource = source.name, relationship = info.name, "load");
                let result = scope.domain().data_layer().read(request).await?;
                let records = result.records.into_vec::<D>()?;
                Found {
                    keys: result.partition_keys,
                    records,
                }
            }
        }
    };

    scope.run_loads(&query.loads, &mut found.records).await?;
    attach(&rel.attach, parents, key_index, found);
    Ok(())
}

fn invalid<R: Resource>(name: &str) -> Error {
    Error::new(ErrorKind::InvalidQuery {
        resource: R::schema().name,
        message: format!("no attribute named `{name}`"),
    })
}

/// The distinct non-nil key values of `records`, in first-seen order.
fn distinct_keys<S: Resource>(records: &[S], index: usize) -> Vec<Value> {
    let mut seen = HashSet::with_capacity(records.len());
    records
        .iter()
        .map(|r| r.get(index))
        .filter(|k| !k.is_null() && seen.insert(k.clone()))
        .collect()
}

/// `None` when every record has a distinct key (the common case: no copy);
/// otherwise the first record of each key.
fn unique_by_key<S: Resource>(records: &[S], index: usize) -> Option<Vec<S>> {
    let mut seen = HashSet::with_capacity(records.len());
    if records.iter().all(|r| seen.insert(r.get(index))) {
        return None;
    }
    seen.clear();
    Some(
        records
            .iter()
            .filter(|r| seen.insert(r.get(index)))
            .cloned()
            .collect(),
    )
}

fn resolve_manual<S: Resource, D>(
    related: RelatedInner<D>,
    given: &[S],
    key_index: usize,
) -> Result<Found<D>> {
    match related {
        RelatedInner::Keyed(pairs) => {
            let known: HashSet<Value> = given.iter().map(|r| r.get(key_index)).collect();
            let mut keys = Vec::with_capacity(pairs.len());
            let mut records = Vec::with_capacity(pairs.len());
            for (key, record) in pairs {
                if !known.contains(&key) {
                    return Err(Error::new(ErrorKind::KeyOfNoParent { key }));
                }
                keys.push(key);
                records.push(record);
            }
            Ok(Found { keys, records })
        }
        RelatedInner::Positional(groups) => {
            if groups.len() != given.len() {
                return Err(Error::new(ErrorKind::PositionMismatch {
                    groups: groups.len(),
                    records: given.len(),
                }));
            }
            let mut keys = Vec::new();
            let mut records = Vec::new();
            for (parent, group) in given.iter().zip(groups) {
                let key = parent.get(key_index);
                keys.extend(std::iter::repeat_n(key, group.len()));
                records.extend(group);
            }
            Ok(Found { keys, records })
        }
    }
}

fn check_at_most_one(keys: &[Value]) -> Result<()> {
    let mut counts: HashMap<&Value, usize> = HashMap::new();
    for k in keys {
        *counts.entry(k).or_default() += 1;
    }
    match counts.into_iter().find(|(_, n)| *n > 1) {
        Some((key, count)) => Err(Error::new(ErrorKind::TooManyRecords {
            key: key.clone(),
            count,
        })),
        None => Ok(()),
    }
}

/// Sorts by `sort` (stable), so per-record windows are right even when a manual
/// loader ignored the query's sort.
fn sort_found<D: Resource>(found: Found<D>, sort: &[Sort]) -> Result<Found<D>> {
    if sort.is_empty() || found.records.len() < 2 {
        return Ok(found);
    }
    let schema = D::schema();
    let columns = sort
        .iter()
        .map(|s| {
            schema
                .attribute_index(&s.field)
                .map(|i| (i, s.order))
                .ok_or_else(|| invalid::<D>(&s.field))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut rows: Vec<(Vec<Value>, Value, D)> = found
        .keys
        .into_iter()
        .zip(found.records)
        .map(|(k, d)| (columns.iter().map(|(i, _)| d.get(*i)).collect(), k, d))
        .collect();
    rows.sort_by(|a, b| {
        columns
            .iter()
            .enumerate()
            .map(|(c, (_, order))| compare_for_sort(&a.0[c], &b.0[c], *order))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let (keys, records) = rows.into_iter().map(|(_, k, d)| (k, d)).unzip();
    Ok(Found { keys, records })
}

/// Keeps, for each key, the records from `offset` to `offset + limit`.
fn window<D>(found: Found<D>, offset: usize, limit: Option<usize>) -> Found<D> {
    if offset == 0 && limit.is_none() {
        return found;
    }
    let end = limit.map_or(usize::MAX, |l| offset.saturating_add(l));
    let mut seen: HashMap<Value, usize> = HashMap::new();
    let (keys, records) = found
        .keys
        .into_iter()
        .zip(found.records)
        .filter(|(k, _)| {
            let n = seen.entry(k.clone()).or_default();
            *n += 1;
            *n > offset && *n <= end
        })
        .unzip();
    Found { keys, records }
}

/// Puts each key's records on every source record with that key: moved to the
/// last one, cloned for the others. Groups are allocated at their final size, so
/// each record moves once.
fn attach<S: Resource, D: Resource>(
    how: &Attach<S, D>,
    parents: &mut [S],
    key_index: usize,
    found: Found<D>,
) {
    let mut slot_of: HashMap<&Value, usize> = HashMap::with_capacity(parents.len());
    let mut sizes: Vec<usize> = Vec::new();
    let slots: Vec<usize> = found
        .keys
        .iter()
        .map(|key| {
            let slot = *slot_of.entry(key).or_insert_with(|| {
                sizes.push(0);
                sizes.len() - 1
            });
            sizes[slot] += 1;
            slot
        })
        .collect();
    let mut groups: Vec<Vec<D>> = sizes.iter().map(|&n| Vec::with_capacity(n)).collect();
    for (record, slot) in found.records.into_iter().zip(slots) {
        groups[slot].push(record);
    }

    let keys: Vec<Value> = parents.iter().map(|p| p.get(key_index)).collect();
    let mut remaining = count(&keys);
    for (parent, key) in parents.iter_mut().zip(&keys) {
        let slot = if key.is_null() {
            None
        } else {
            slot_of.get(key).copied()
        };
        let left = remaining.get_mut(key).map(|n| {
            *n -= 1;
            *n
        });
        let group = match slot {
            None => Vec::new(),
            Some(slot) if left == Some(0) => std::mem::take(&mut groups[slot]),
            Some(slot) => groups[slot].clone(),
        };
        match how {
            Attach::Many(f) => f(parent, group),
            Attach::One(f) => f(parent, group.into_iter().next()),
        }
    }
}

fn count<K: Hash + Eq + Clone>(keys: &[K]) -> HashMap<K, usize> {
    let mut counts = HashMap::with_capacity(keys.len());
    for k in keys {
        *counts.entry(k.clone()).or_insert(0) += 1;
    }
    counts
}
