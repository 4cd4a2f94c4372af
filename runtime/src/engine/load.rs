//! The loader: loads one relationship onto a batch of source records with one
//! data-layer read (or one manual `load` call), applies sort, offset and limit per
//! source record, runs nested loads on everything found, and attaches the results.

use std::sync::Arc;

mod aggregate;

use foldhash::{HashMap, HashMapExt};

use crate::data_layer::{BoxFuture, Partition, PartitionBy, ReadRequest};
use crate::domain::Scope;
use crate::engine::{authorize, spans, values};
use crate::error::{Error, ErrorKind, Result};
use crate::manual::{LoadContext, RelatedInner};
use crate::policy::AuthorizeReadWith;
use crate::query::{Load, Query, Unset};
use crate::rel::{Attach, Rel};
use crate::resource::{RelationshipKind, Resource};
use crate::sort::{Order, Sort, compare_keys};
use crate::value::Value;

/// Related records, grouped: `groups[i]` belongs to the source records whose key
/// is `keys[i]` (distinct keys), each group in query order.
struct Groups<D> {
    keys: Vec<Value>,
    groups: Vec<Vec<D>>,
}

/// Runs each of `loads` on `records`, in order: the loads of a read, of
/// `Domain::load`, and the nested loads of a relationship.
pub(crate) async fn run_loads<R: Resource>(
    scope: &Scope,
    loads: &[Arc<dyn Load<R>>],
    records: &mut [R],
) -> Result<()> {
    for load in loads {
        load.run(records, scope).await?;
    }
    Ok(())
}

/// Loads `rel` onto `parents`: a `load` span, whose `records` is how many
/// related records were found (before nested loads, which are its children).
#[tracing::instrument(target = "ashore_runtime", name = "load", level = "debug", skip_all, fields(
    resource = S::schema().name,
    relationship = rel.info.name,
    destination = D::schema().name,
    manual = rel.manual.is_some(),
    layer = scope.domain.data_layer().name(),
    parents = parents.len(),
    records = tracing::field::Empty,
    statements = tracing::field::Empty,
))]
pub(crate) async fn run<S: Resource, D: Resource, C>(
    rel: &Rel<S, D, C>,
    parents: &mut [S],
    scope: &Scope,
) -> Result<()> {
    spans::counting_statements(run_in_span(rel, parents, scope)).await
}

/// [`run`], inside its span.
async fn run_in_span<S: Resource, D: Resource, C>(
    rel: &Rel<S, D, C>,
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
    // A `no_attributes` relationship's filter reads its source (`parent(..)`):
    // it is how the read links records to parents (`PartitionBy::Parent`).
    let mut query = rel.query.clone();
    if let Some(filter) = info.filter.filter(|_| !info.no_attributes) {
        query = query.filter_expr(filter());
    }
    query = query.sort((info.sort)());
    if let Some(filter) = query.get_filter() {
        filter.check_depth(D::schema().name, &"the filter of the load")?;
    }

    let key_index = if rel.manual.is_some() || info.no_attributes {
        source.primary_key
    } else {
        source
            .attribute_index(info.source_attribute)
            .ok_or_else(|| invalid::<S>(info.source_attribute))?
    };

    // The group of each parent (`slots[i]` for `parents[i]`), and the groups.
    let (slots, mut groups) = match &rel.manual {
        Some(manual) => {
            let sort = manual_sort_keys::<D>(query.get_sort())?;
            let keys = ParentKeys::of(parents, key_index);
            let unique = keys.firsts(parents);
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
            let related = manual.load(given, &ctx).await?;
            let mut found = resolve_manual(related.inner, given, key_index)?;
            // Keys of no parent, and whether the loader gave them records.
            let strays: Vec<(usize, bool)> = (found.keys.iter().enumerate())
                .filter(|(_, k)| !keys.contains(k))
                .map(|(i, _)| (i, found.groups[i].is_empty()))
                .collect();
            // Whatever the loader read, only what the caller may read is kept.
            authorize::enforce(scope, info.authorize_read_with, &mut found.groups).await?;
            // A key of no parent is the loader's mistake, reported once what
            // the caller may not read is gone: its key was read from a
            // record, which must not reach the caller through the error.
            if let Some(&(i, _)) = strays
                .iter()
                .find(|&&(i, empty)| empty || !found.groups[i].is_empty())
            {
                return Err(Error::new(ErrorKind::KeyOfNoParent {
                    key: found.keys[i].clone(),
                }));
            }
            sort_groups(&mut found.groups, &sort);
            for group in &mut found.groups {
                window(group, query.get_offset(), query.get_limit());
            }
            // After the load's own window: `.sort(..).limit(1)` picks one.
            if !info.kind.is_many() {
                check_at_most_one(&found)?;
            }
            (keys.slots(&found.keys, parents), found.groups)
        }
        None => {
            let (keys, slots) = distinct_keys(parents, key_index);
            if keys.is_empty() {
                (slots, Vec::new())
            } else {
                let by = match (&info.through, info.kind) {
                    (Some(t), RelationshipKind::ManyToMany) => PartitionBy::Through {
                        join: (t.resource)(),
                        source_attribute_on_join: t.source_attribute_on_join_resource,
                        destination_attribute_on_join: t.destination_attribute_on_join_resource,
                        destination_attribute: info.destination_attribute(),
                    },
                    _ if info.no_attributes => PartitionBy::Parent {
                        source,
                        relationship: info,
                    },
                    _ => PartitionBy::Attribute(info.destination_attribute()),
                };
                let count = keys.len();
                let mut request = ReadRequest::new(D::schema());
                request.filter = query.get_filter().cloned();
                values::check_filter(D::schema(), request.filter.as_mut())?;
                request.sort = query.get_sort().to_vec();
                request.limit = query.get_limit();
                request.offset = query.get_offset();
                let join = match &by {
                    PartitionBy::Through { join, .. } => Some(*join),
                    PartitionBy::Attribute(_) | PartitionBy::Parent { .. } => None,
                };
                // The resources the relationship's filter reaches are met too.
                let linking = match &by {
                    PartitionBy::Parent { .. } => info.filter.map(|f| f()),
                    _ => None,
                };
                let met = match (&request.filter, linking) {
                    (Some(filter), Some(linking)) => Some(filter.clone().and(linking)),
                    (filter, linking) => filter.clone().or(linking),
                };
                request.partition = Some(Partition { by, keys });
                // Records the actor may not read are left out by the read, or,
                // with `authorize_read_with error`, read and then reported.
                let report = info.authorize_read_with == AuthorizeReadWith::Error;
                request.visibility = authorize::visibility(
                    scope,
                    D::schema(),
                    !report,
                    met.as_ref(),
                    &request.sort,
                    join,
                )?;
                let result = scope.domain().data_layer().read(request).await?;
                let mut groups = result.into_groups::<D>(count)?;
                if report && scope.authorize() {
                    authorize::enforce(scope, info.authorize_read_with, &mut groups).await?;
                }
                (slots, groups)
            }
        }
    };

    tracing::Span::current().record("records", groups.iter().map(Vec::len).sum::<usize>());
    if !query.loads.is_empty() {
        nested(&mut groups, &query, scope).await?;
    }
    attach(&rel.attach, parents, &slots, groups);
    Ok(())
}

/// Runs the query's loads on every record of every group at once.
async fn nested<D: Resource>(
    groups: &mut Vec<Vec<D>>,
    query: &Query<D>,
    scope: &Scope,
) -> Result<()> {
    let sizes: Vec<usize> = groups.iter().map(Vec::len).collect();
    let mut all: Vec<D> = std::mem::take(groups).into_iter().flatten().collect();
    run_loads(scope, &query.loads, &mut all).await?;
    let mut records = all.into_iter();
    *groups = sizes
        .into_iter()
        .map(|n| records.by_ref().take(n).collect())
        .collect();
    Ok(())
}

fn invalid<R: Resource>(name: &str) -> Error {
    Error::new(ErrorKind::InvalidQuery {
        resource: R::schema().name,
        message: format!("no attribute named `{name}`"),
    })
}

/// The distinct non-nil key values of `records`, in first-seen order, and the
/// position among them of each record's key (`None` for nil): the group each
/// record gets, found while the keys are gathered.
fn distinct_keys<S: Resource>(records: &[S], index: usize) -> (Vec<Value>, Vec<Option<usize>>) {
    let mut position: HashMap<Value, usize> = HashMap::with_capacity(records.len());
    let mut keys = Vec::new();
    let slots = records
        .iter()
        .map(|r| {
            let key = r.get(index);
            if key.is_null() {
                return None;
            }
            let next = keys.len();
            Some(*position.entry(key).or_insert_with_key(|key| {
                keys.push(key.clone());
                next
            }))
        })
        .collect();
    (keys, slots)
}

/// The position among `keys` of each record's key (`None` for nil or absent).
fn slots_of<S: Resource>(keys: &[Value], records: &[S], index: usize) -> Vec<Option<usize>> {
    let slot_of: HashMap<&Value, usize> = keys.iter().enumerate().map(|(i, k)| (k, i)).collect();
    records
        .iter()
        .map(|r| {
            let key = r.get(index);
            if key.is_null() {
                None
            } else {
                slot_of.get(&key).copied()
            }
        })
        .collect()
}

/// The primary keys of the source records of a manual load, each hashed once:
/// key → the position of the first record with it.
struct ParentKeys {
    index: usize,
    first: HashMap<Value, usize>,
}

impl ParentKeys {
    fn of<S: Resource>(records: &[S], index: usize) -> Self {
        let mut first = HashMap::with_capacity(records.len());
        for (i, r) in records.iter().enumerate() {
            first.entry(r.get(index)).or_insert(i);
        }
        ParentKeys { index, first }
    }

    /// Whether every record has a distinct key (the common case).
    fn unique(&self, records: usize) -> bool {
        self.first.len() == records
    }

    /// `None` when every record has a distinct key (no copy); otherwise the
    /// first record of each key.
    fn firsts<S: Resource>(&self, records: &[S]) -> Option<Vec<S>> {
        if self.unique(records.len()) {
            return None;
        }
        Some(
            records
                .iter()
                .enumerate()
                .filter(|(i, r)| self.first.get(&r.get(self.index)) == Some(i))
                .map(|(_, r)| r.clone())
                .collect(),
        )
    }

    /// Whether some record has key `key`.
    fn contains(&self, key: &Value) -> bool {
        self.first.contains_key(key)
    }

    /// The position among `keys` of each record's key (`None` for nil or
    /// absent), as [`slots_of`]; with distinct keys, without hashing a record's
    /// key again.
    fn slots<S: Resource>(&self, keys: &[Value], records: &[S]) -> Vec<Option<usize>> {
        if !self.unique(records.len()) {
            return slots_of(keys, records, self.index);
        }
        let mut slots = vec![None; records.len()];
        for (slot, key) in keys.iter().enumerate().filter(|(_, k)| !k.is_null()) {
            if let Some(&i) = self.first.get(key) {
                slots[i] = Some(slot);
            }
        }
        slots
    }
}

/// A manual loader's answer as keyed groups: positional groups checked
/// against the records it was given (keys of no parent are checked by the
/// caller, once what the caller may not read is gone).
fn resolve_manual<S: Resource, D>(
    related: RelatedInner<D>,
    given: &[S],
    key_index: usize,
) -> Result<Groups<D>> {
    match related {
        RelatedInner::Keyed { keys, groups } => Ok(Groups { keys, groups }),
        RelatedInner::Positional(groups) => {
            if groups.len() != given.len() {
                return Err(Error::new(ErrorKind::PositionMismatch {
                    groups: groups.len(),
                    records: given.len(),
                }));
            }
            let keys = given.iter().map(|r| r.get(key_index)).collect();
            Ok(Groups { keys, groups })
        }
    }
}

fn check_at_most_one<D>(found: &Groups<D>) -> Result<()> {
    match found
        .keys
        .iter()
        .zip(&found.groups)
        .find(|(_, g)| g.len() > 1)
    {
        Some((key, group)) => Err(Error::new(ErrorKind::TooManyRecords {
            key: key.clone(),
            count: group.len(),
        })),
        None => Ok(()),
    }
}

/// The keys of a manual load's sort as attribute positions of `D`, checked
/// before the loader is called. A key through relationships cannot be read
/// from the records a loader returned: an [`ErrorKind::InvalidQuery`] naming
/// it.
fn manual_sort_keys<D: Resource>(sort: &[Sort]) -> Result<Vec<(usize, Order)>> {
    let schema = D::schema();
    sort.iter()
        .map(|s| {
            if !s.path.is_empty() || s.aggregate.is_some() {
                return Err(Error::new(ErrorKind::InvalidQuery {
                    resource: schema.name,
                    message: format!(
                        "the load of a manual relationship sorts by attributes of {} only, \
                         not through relationships nor by aggregates (`{s}`)",
                        schema.name
                    ),
                }));
            }
            schema
                .attribute_index(&s.field)
                .map(|i| (i, s.order))
                .ok_or_else(|| invalid::<D>(&s.field))
        })
        .collect()
}

/// Sorts each group by `columns` (stable), so per-record windows are right
/// even when a manual loader ignored the query's sort.
fn sort_groups<D: Resource>(groups: &mut [Vec<D>], columns: &[(usize, Order)]) {
    if columns.is_empty() {
        return;
    }
    for group in groups.iter_mut().filter(|g| g.len() > 1) {
        let mut rows: Vec<(Vec<Value>, D)> = std::mem::take(group)
            .into_iter()
            .map(|d| (columns.iter().map(|(i, _)| d.get(*i)).collect(), d))
            .collect();
        rows.sort_by(|a, b| compare_keys(&a.0, &b.0, columns.iter().map(|&(_, o)| o)));
        *group = rows.into_iter().map(|(_, d)| d).collect();
    }
}

/// Keeps the records from `offset` to `offset + limit`.
fn window<D>(group: &mut Vec<D>, offset: usize, limit: Option<usize>) {
    group.drain(..offset.min(group.len()));
    if let Some(limit) = limit {
        group.truncate(limit);
    }
}

/// Puts each group on every source record whose slot names it: moved to the
/// last one, cloned for the others.
fn attach<S: Resource, D: Resource>(
    how: &Attach<S, D>,
    parents: &mut [S],
    slots: &[Option<usize>],
    mut groups: Vec<Vec<D>>,
) {
    let mut remaining = vec![0_usize; groups.len()];
    for slot in slots.iter().flatten() {
        remaining[*slot] += 1;
    }
    for (parent, slot) in parents.iter_mut().zip(slots) {
        let group = match *slot {
            Some(slot) if slot < groups.len() => {
                remaining[slot] -= 1;
                if remaining[slot] == 0 {
                    std::mem::take(&mut groups[slot])
                } else {
                    groups[slot].clone()
                }
            }
            _ => Vec::new(),
        };
        match how {
            Attach::Many(f) => f(parent, group),
            Attach::One(f) => f(parent, group.into_iter().next()),
        }
    }
}

impl<S: Resource, D: Resource, C: 'static> Load<S> for Rel<S, D, C> {
    fn name(&self) -> &'static str {
        self.info.name
    }

    fn run<'a>(&'a self, records: &'a mut [S], scope: &'a Scope) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            run(self, records, scope)
                .await
                .map_err(|e| e.in_relationship(S::schema().name, self.info.name))
        })
    }
}
