//! The Helpdesk's resources and the loaders of its manual relationships, as in
//! Ash's guide "Defining Manual Relationships": shared by `examples/helpdesk.rs`
//! (the guide, checked), `examples/helpdesk_api.rs` (the same Helpdesk as a JSON
//! API) and that API's test. The resources derive `Serialize` (feature `serde`):
//! a relationship that was not loaded is left out of the JSON.

use std::collections::BTreeMap;

use ashore::Value;
use ashore::data_layer::{Partition, PartitionBy, ReadRequest};
use ashore::prelude::*;
use serde::Serialize;

#[cfg(feature = "postgres")]
use ashore::data_layer::sql::Postgres;
#[cfg(feature = "sqlite")]
use ashore::data_layer::sql::Sqlite;
// Guide: "Manual relationships allow you to express complex or non-typical
// relationships between resources in a standard way." Here: a representative's
// tickets whose priority is above the representative's own threshold.
//
// Guide: "Individual data layers may interact with manual relationships in their
// own way": the loader reads through `ctx` on whichever layer the domain has
// (memory, SQLite, PostgreSQL); the raw loader below speaks each database's SQL.
//
// Guide: "By default, the only thing manual relationships support is being
// loaded." So it is here: `tickets_above_threshold_rebuilt` and `_raw` are only
// loaded (a filter or aggregate through them is a compile error naming
// `condition`); `tickets_above_threshold` declares a `condition` to go further.
//
// Guide: "In our Helpdesk example, we'd like to have a way to find tickets" above
// a representative's threshold.
//
// Guide: "In the `Representative` resource, define a `has_many` relationship as
// `manual` and point to the module where it will be implemented."
resource! {
    /// A support representative.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            /// Tickets with a higher priority than this are "above threshold".
            attribute priority_threshold: i64;
            /// An admin reads every ticket; anyone else only their own.
            attribute admin: bool;
        }
        relationships {
            has_many tickets: Ticket;
            // Guide: has_many :tickets_above_threshold, Helpdesk.Support.Ticket do
            //          manual Helpdesk.Support.Ticket.Relationships.TicketsAboveThreshold
            //        end
            has_many tickets_above_threshold: Ticket {
                manual TicketsAboveThreshold;
                // Beyond Ash: how its records relate to a representative, so
                // filters and aggregates can go through it (loads still call
                // the loader).
                condition representative_id == parent(id) and priority > parent(priority_threshold);
            }
            // The same relationship with no code at all (Ash's `no_attributes?
            // true` and `parent(..)`): related by the filter alone.
            has_many above: Ticket {
                no_attributes;
                filter representative_id == parent(id) and priority > parent(priority_threshold);
            }
            // The guide's "Using the Query" section, as a loader of its own.
            has_many tickets_above_threshold_rebuilt: Ticket {
                manual TicketsAboveThresholdRebuiltQuery;
            }
            // Guide: "if you need to use a raw ecto query here, you can. As long as
            // you return the right structure."
            has_many tickets_above_threshold_raw: Ticket {
                manual RawTicketsAboveThreshold;
            }
        }
        aggregates {
            /// How many tickets are above the threshold.
            count above_count: above;
        }
    }
}

resource! {
    /// A support ticket.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
            /// Nil when nobody has triaged the ticket yet.
            attribute priority: Option<i64>;
            /// "open" or "closed".
            attribute status: String;
        }
        relationships {
            belongs_to representative: Representative;
            has_many comments: Comment;
        }
        // Policies apply unless a call says `.authorize(false)`: a representative
        // reads only the tickets assigned to it, unless it is an admin (Ash's
        // "authorize like normal"); only an admin writes tickets.
        policies {
            policy action_type(read) {
                authorize_if actor_attribute_equals(admin, true);
                authorize_if expr(representative_id == ^actor(id));
            }
            policy action_type(create, update, destroy) {
                authorize_if actor_attribute_equals(admin, true);
            }
        }
    }
}

resource! {
    /// A comment on a ticket.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct Comment {
        attributes {
            uuid_primary_key id;
            attribute body: String;
        }
        relationships {
            belongs_to ticket: Ticket;
        }
    }
}

// Guide: defmodule Helpdesk.Support.Ticket.Relationships.TicketsAboveThreshold do
//          use Ash.Resource.ManualRelationship
/// The guide's loader. `&self` would carry options (Ash's `_opts`); this one has none.
struct TicketsAboveThreshold;

impl ManualRelationship for TicketsAboveThreshold {
    type Source = Representative;
    type Destination = Ticket;

    // Guide: def load(records, _opts, %{query: query, actor: actor, authorize?: authorize?}) do
    async fn load(
        &self,
        records: &[Representative],
        ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Representative, Ticket>> {
        // Guide: rep_ids = Enum.map(records, & &1.id)
        let rep_ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
        // Guide: query
        //        |> Ash.Query.filter(representative_id in ^rep_ids)
        //        |> Ash.Query.filter(priority > representative.priority_threshold)
        //        |> Helpdesk.Support.read!(actor: actor, authorize?: authorize?)
        // "Using Ash to get the destination records is ideal, so you can authorize
        // access like normal": `.read(ctx)` reads with the caller's domain, actor,
        // authorize flag and tenant.
        let tickets = ctx
            .query
            .clone()
            .filter(expr!(representative_id in ^rep_ids))
            .filter(expr!(priority > representative.priority_threshold))
            .read(ctx)
            .await?;
        // Guide: |> Enum.group_by(& &1.representative_id)
        // "Return the items grouped by the primary key of the source".
        Ok(Related::group_by(tickets, |t| t.representative_id))
    }
}

/// The guide's "Using the Query": a loader that builds its own fetch query from
/// the one it is given.
struct TicketsAboveThresholdRebuiltQuery;

impl ManualRelationship for TicketsAboveThresholdRebuiltQuery {
    type Source = Representative;
    type Destination = Ticket;

    async fn load(
        &self,
        records: &[Representative],
        ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Representative, Ticket>> {
        // Guide: fetch_query = Ash.Query.unset(query, [:limit, :offset])
        // (ashore already hands the loader a query without limit and offset, and
        // applies them per representative afterwards; unsetting is harmless.)
        let fetch_query = ctx.query.clone().unset([Unset::Limit, Unset::Offset]);
        // Guide: # or, to be more safe/explicit, you might make a new query
        //        fetch_query = query.resource |> Ash.Query.filter(^query.filter)
        //                      |> Ash.Query.sort(query.sort)
        let explicit = Ticket::query()
            .filter_expr(ctx.query.get_filter().cloned())
            .sort(ctx.query.get_sort().to_vec());
        // The two ways give one query here (the context's holds nothing else).
        let same = fetch_query.get_filter() == explicit.get_filter()
            && fetch_query.get_sort() == explicit.get_sort()
            && (fetch_query.get_limit(), fetch_query.get_offset()) == (None, 0);
        if !same {
            return Err(ashore::Error::loader(format!(
                "the guide's two fetch queries differ: {fetch_query:?} and {explicit:?}"
            )));
        }
        let rep_ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
        let tickets = fetch_query
            .filter(expr!(representative_id in ^rep_ids and priority > representative.priority_threshold))
            .read(ctx)
            .await?;
        Ok(Related::group_by(tickets, |t| t.representative_id))
    }
}

/// The guide's raw-query escape hatch: below queries and authorization, and the
/// right structure all the same. On SQLite and PostgreSQL it is raw SQL through
/// the layer's `query`, which maps each row back to a `Ticket` by column name; in
/// memory, a read straight from the data layer.
struct RawTicketsAboveThreshold;

/// The raw query, for `keys` representative ids bound as `placeholder(1)`,
/// `placeholder(2)`, ..: placeholders only, never values, in the SQL text.
fn raw_above_threshold_sql(keys: usize, placeholder: fn(usize) -> String) -> String {
    let keys: Vec<String> = (1..=keys).map(placeholder).collect();
    format!(
        "SELECT t.* FROM ticket t JOIN representative r ON r.id = t.representative_id \
         WHERE t.priority > r.priority_threshold AND t.representative_id IN ({})",
        keys.join(", ")
    )
}

/// Representative ids per raw query: below both databases' limits on parameters
/// (SQLite 32,766, PostgreSQL 65,535), so any number of representatives works.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
const RAW_KEYS_PER_QUERY: usize = 30_000;

impl ManualRelationship for RawTicketsAboveThreshold {
    type Source = Representative;
    type Destination = Ticket;

    async fn load(
        &self,
        records: &[Representative],
        ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Representative, Ticket>> {
        // Guide: "you will want to make sure that you use the query being
        // provided": a loader must apply the caller's filter (`.filter(..)` on
        // the load). Raw SQL cannot take it, so this loader refuses one rather
        // than return records the caller filtered out.
        if let Some(filter) = ctx.query.get_filter() {
            return Err(ashore::Error::loader(format!(
                "the raw loader cannot apply the filter `{filter}`: filter \
                 tickets_above_threshold instead"
            )));
        }
        let rep_ids: Vec<Value> = records.iter().map(|r| Value::from(r.id)).collect();
        #[cfg(feature = "sqlite")]
        if let Some(sqlite) = ctx.domain.data_layer_as::<Sqlite>() {
            let mut tickets = Vec::new();
            for ids in rep_ids.chunks(RAW_KEYS_PER_QUERY) {
                let sql = raw_above_threshold_sql(ids.len(), |i| format!("?{i}"));
                tickets.extend(sqlite.query::<Ticket>(&sql, ids.to_vec()).await?);
            }
            return Ok(Related::group_by(tickets, |t| t.representative_id));
        }
        #[cfg(feature = "postgres")]
        if let Some(postgres) = ctx.domain.data_layer_as::<Postgres>() {
            let mut tickets = Vec::new();
            for ids in rep_ids.chunks(RAW_KEYS_PER_QUERY) {
                let sql = raw_above_threshold_sql(ids.len(), |i| format!("${i}"));
                tickets.extend(postgres.query::<Ticket>(&sql, ids.to_vec()).await?);
            }
            return Ok(Related::group_by(tickets, |t| t.representative_id));
        }
        // In memory: every ticket of these representatives, then the threshold test
        // in Rust.
        let mut request = ReadRequest::new(Ticket::schema());
        request.partition = Some(Partition {
            by: PartitionBy::Attribute("representative_id"),
            keys: rep_ids,
        });
        let tickets: Vec<Ticket> = ctx
            .domain
            .data_layer()
            .read(request)
            .await?
            .records
            .into_vec()?;
        let thresholds: BTreeMap<Uuid, i64> = records
            .iter()
            .map(|r| (r.id, r.priority_threshold))
            .collect();
        let above = tickets
            .into_iter()
            .filter(|t| {
                match (
                    t.priority,
                    t.representative_id.and_then(|id| thresholds.get(&id)),
                ) {
                    (Some(p), Some(threshold)) => p > *threshold,
                    _ => false,
                }
            })
            .collect();
        Ok(Related::group_by(above, |t| t.representative_id))
    }
}
