//! Shared resources, manual loaders and fixtures of the `semantics_*` tests.
//!
//! - The Helpdesk resources (`Representative`, `Ticket`, `Comment`, `Tag`,
//!   `TicketTag`), with one relationship per behaviour under test.
//! - `Scripted`, a manual loader that answers in the way its `Mode` says and
//!   records what it was given (`calls(tenant)`); each test reads with its own
//!   tenant so that tests running in parallel never see each other's calls.
//! - `Counting`, a data layer that delegates to `Memory` and records every read
//!   request (`Reads`), and can be told to fail reads of one resource.
#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use ashore::data_layer::{BoxFuture, DataLayer, ReadRequest, ReadResult, Records};
use ashore::prelude::*;
use ashore::{RelationshipKind, Row, Schema, Value};

// ------------------------------------------------------------------ resources

resource! {
    /// A support representative.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            attribute priority_threshold: i64;
            attribute admin: bool;
        }
        relationships {
            has_many tickets: Ticket;
            has_many tickets_above_threshold: Ticket { manual TicketsAboveThreshold; }
            has_many open_tickets: Ticket { filter status == "open"; sort priority desc; }
            has_one current_shift: Shift { sort starts_at desc; }
            has_one manual_shift: Shift { manual ShiftOf; }
            has_many manual_tickets: Ticket { manual Scripted(Mode::GroupBy); }
            has_many manual_tickets_from_map: Ticket { manual Scripted(Mode::FromMap); }
            has_many manual_tickets_by_position: Ticket { manual Scripted(Mode::ByPosition); }
            has_many manual_tickets_short: Ticket { manual Scripted(Mode::ShortPositions); }
            has_many manual_open_tickets: Ticket {
                manual Scripted(Mode::GroupBy);
                filter status == "open";
                sort priority desc;
            }
            has_many manual_stray: Ticket { manual Scripted(Mode::StrayKey); }
            has_many manual_failing: Ticket { manual Scripted(Mode::Fail); }
            has_many open_above_threshold_unset: Ticket {
                manual Scripted(Mode::Unset);
                filter status == "open";
            }
            has_many open_above_threshold_rebuilt: Ticket {
                manual Scripted(Mode::Rebuilt);
                filter status == "open";
            }
        }
    }
}

resource! {
    /// A support ticket.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
            attribute status: String;
            attribute priority: Option<i64>;
            attribute opened_at: DateTime<Utc>;
        }
        relationships {
            belongs_to representative: Representative;
            many_to_many tags: Tag {
                through TicketTag;
                source_attribute_on_join_resource ticket_id;
                destination_attribute_on_join_resource tag_id;
            }
            has_many comments: Comment;
            has_many comments_manual: Comment { manual CommentsOf; }
            has_many comments_failing: Comment { manual FailingComments; }
        }
    }
}

resource! {
    /// A representative's shift at a desk. It holds the representative's key as a
    /// plain attribute: a `belongs_to representative` here together with a
    /// `has_one` on `Representative` makes the two structs contain each other
    /// (see `semantics_has_one_cycle.rs`).
    #[derive(Debug, Clone, PartialEq)]
    pub struct Shift {
        attributes {
            uuid_primary_key id;
            attribute representative_id: Option<Uuid>;
            attribute desk: String;
            attribute starts_at: i64;
        }
    }
}

resource! {
    /// A comment on a ticket.
    #[derive(Debug, Clone, PartialEq)]
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

resource! {
    /// A label on tickets (integer primary key).
    #[derive(Debug, Clone, PartialEq)]
    pub struct Tag {
        attributes {
            integer_primary_key id;
            attribute name: String;
        }
    }
}

resource! {
    /// The join resource of `Ticket.tags`.
    #[derive(Debug, Clone, PartialEq)]
    pub struct TicketTag {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            belongs_to ticket: Ticket;
            belongs_to tag: Tag;
        }
    }
}

// ------------------------------------------------------------ manual loaders

/// The seed's loader, as the guide writes it.
pub struct TicketsAboveThreshold;

impl ManualRelationship for TicketsAboveThreshold {
    type Source = Representative;
    type Destination = Ticket;

    async fn load(
        &self,
        reps: &[Representative],
        ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Representative, Ticket>> {
        let ids: Vec<Uuid> = reps.iter().map(|r| r.id).collect();
        let tickets = ctx
            .query
            .clone()
            .filter(expr!(representative_id in ^ids))
            .filter(expr!(priority > representative.priority_threshold))
            .read(ctx)
            .await?;
        Ok(Related::group_by(tickets, |t| t.representative_id))
    }
}

/// How `Scripted` answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The representatives' tickets, `Related::group_by`.
    GroupBy,
    /// The same, `Related::from_map`.
    FromMap,
    /// The same, `Related::by_position`.
    ByPosition,
    /// `Related::by_position` with the last group missing.
    ShortPositions,
    /// Every ticket, keyed by `STRAY` (the key of no representative).
    StrayKey,
    /// `Err(Error::loader("billing service is down"))`.
    Fail,
    /// The seed's "Using the Query": `ctx.query.clone().unset([Limit, Offset])`.
    Unset,
    /// The seed's "Using the Query": a new query from the filter and sort of
    /// `ctx.query`.
    Rebuilt,
}

/// The key `Mode::StrayKey` files tickets under.
pub const STRAY: Uuid = Uuid::from_u128(0x5354_5241_5900_4000_8000_0000_0000_0001);

/// A manual loader of `Representative -> Ticket` that records its calls.
pub struct Scripted(pub Mode);

async fn tickets_of(
    ctx: &LoadContext<'_, Ticket>,
    reps: &[Representative],
) -> ashore::Result<Vec<Ticket>> {
    let ids: Vec<Uuid> = reps.iter().map(|r| r.id).collect();
    ctx.query
        .clone()
        .filter(expr!(representative_id in ^ids))
        .read(ctx)
        .await
}

impl ManualRelationship for Scripted {
    type Source = Representative;
    type Destination = Ticket;

    async fn load(
        &self,
        reps: &[Representative],
        ctx: &LoadContext<'_, Ticket>,
    ) -> ashore::Result<Related<Representative, Ticket>> {
        record(ctx, reps.iter().map(|r| Value::from(r.id)).collect());
        let ids: Vec<Uuid> = reps.iter().map(|r| r.id).collect();
        match self.0 {
            Mode::GroupBy => {
                let tickets = tickets_of(ctx, reps).await?;
                Ok(Related::group_by(tickets, |t| t.representative_id))
            }
            Mode::FromMap => {
                let mut map: HashMap<Uuid, Vec<Ticket>> = HashMap::new();
                for t in tickets_of(ctx, reps).await? {
                    if let Some(rep) = t.representative_id {
                        map.entry(rep).or_default().push(t);
                    }
                }
                Ok(Related::from_map(map))
            }
            Mode::ByPosition | Mode::ShortPositions => {
                let tickets = tickets_of(ctx, reps).await?;
                let mut groups: Vec<Vec<Ticket>> = reps
                    .iter()
                    .map(|r| {
                        tickets
                            .iter()
                            .filter(|t| t.representative_id == Some(r.id))
                            .cloned()
                            .collect()
                    })
                    .collect();
                if self.0 == Mode::ShortPositions {
                    groups.pop();
                }
                Ok(Related::by_position(groups))
            }
            Mode::StrayKey => {
                let tickets = tickets_of(ctx, reps).await?;
                Ok(Related::group_by(tickets, |_| Some(STRAY)))
            }
            Mode::Fail => Err(Error::loader("billing service is down")),
            Mode::Unset => {
                let tickets = ctx
                    .query
                    .clone()
                    .unset([Unset::Limit, Unset::Offset])
                    .filter(expr!(representative_id in ^ids))
                    .filter(expr!(priority > representative.priority_threshold))
                    .read(ctx)
                    .await?;
                Ok(Related::group_by(tickets, |t| t.representative_id))
            }
            Mode::Rebuilt => {
                let fetch = Ticket::query()
                    .filter_expr(ctx.query.get_filter().cloned())
                    .sort(ctx.query.get_sort().to_vec());
                let tickets = fetch
                    .filter(expr!(
                        representative_id in ^ids and priority > representative.priority_threshold
                    ))
                    .read(ctx)
                    .await?;
                Ok(Related::group_by(tickets, |t| t.representative_id))
            }
        }
    }
}

/// A manual has_one loader of `Representative -> Shift` that records its calls.
pub struct ShiftOf;

impl ManualRelationship for ShiftOf {
    type Source = Representative;
    type Destination = Shift;

    async fn load(
        &self,
        reps: &[Representative],
        ctx: &LoadContext<'_, Shift>,
    ) -> ashore::Result<Related<Representative, Shift>> {
        record(ctx, reps.iter().map(|r| Value::from(r.id)).collect());
        let ids: Vec<Uuid> = reps.iter().map(|r| r.id).collect();
        let shifts = ctx
            .query
            .clone()
            .filter(expr!(representative_id in ^ids))
            .read(ctx)
            .await?;
        Ok(Related::group_by(shifts, |s| s.representative_id))
    }
}

/// A manual loader of `Ticket -> Comment` that records its calls.
pub struct CommentsOf;

impl ManualRelationship for CommentsOf {
    type Source = Ticket;
    type Destination = Comment;

    async fn load(
        &self,
        tickets: &[Ticket],
        ctx: &LoadContext<'_, Comment>,
    ) -> ashore::Result<Related<Ticket, Comment>> {
        record(ctx, tickets.iter().map(|t| Value::from(t.id)).collect());
        let ids: Vec<Uuid> = tickets.iter().map(|t| t.id).collect();
        let comments = ctx
            .query
            .clone()
            .filter(expr!(ticket_id in ^ids))
            .read(ctx)
            .await?;
        Ok(Related::group_by(comments, |c| c.ticket_id))
    }
}

/// A manual loader of `Ticket -> Comment` that always fails.
pub struct FailingComments;

impl ManualRelationship for FailingComments {
    type Source = Ticket;
    type Destination = Comment;

    async fn load(
        &self,
        tickets: &[Ticket],
        ctx: &LoadContext<'_, Comment>,
    ) -> ashore::Result<Related<Ticket, Comment>> {
        record(ctx, tickets.iter().map(|t| Value::from(t.id)).collect());
        Err(Error::loader(std::io::Error::other(
            "comment store offline",
        )))
    }
}

// ------------------------------------------------------------ the call log

/// What a manual loader was given, as recorded by `record`.
#[derive(Clone, Debug)]
pub struct Call {
    /// `ctx.relationship.name`.
    pub relationship: &'static str,
    /// `ctx.relationship.kind`.
    pub kind: RelationshipKind,
    /// `ctx.relationship.manual`.
    pub manual: bool,
    /// Primary keys of the source records given to `load`, in order.
    pub sources: Vec<Value>,
    /// `ctx.query.resource()`.
    pub resource: &'static str,
    /// `ctx.query.get_filter()`.
    pub filter: Option<Expr>,
    /// `ctx.query.get_sort()`.
    pub sort: Vec<Sort>,
    /// `ctx.query.get_limit()`.
    pub limit: Option<usize>,
    /// `ctx.query.get_offset()`.
    pub offset: usize,
    /// `ctx.query.get_loads()`.
    pub loads: Vec<&'static str>,
    /// The actor's `name` attribute.
    pub actor_name: Option<Value>,
    /// `ctx.authorize`.
    pub authorize: bool,
    /// `ctx.tenant`.
    pub tenant: Option<Value>,
    /// Names of the resources of `ctx.domain`.
    pub domain_resources: BTreeSet<&'static str>,
}

impl Call {
    /// The filter as text (`""` when there is none).
    pub fn filter_text(&self) -> String {
        self.filter
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default()
    }
}

static CALLS: Mutex<Vec<Call>> = Mutex::new(Vec::new());

fn log() -> MutexGuard<'static, Vec<Call>> {
    CALLS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Records a call of a manual loader.
pub fn record<D: Resource>(ctx: &LoadContext<'_, D>, sources: Vec<Value>) {
    let call = Call {
        relationship: ctx.relationship.name,
        kind: ctx.relationship.kind,
        manual: ctx.relationship.manual,
        sources,
        resource: ctx.query.resource(),
        filter: ctx.query.get_filter().cloned(),
        sort: ctx.query.get_sort().to_vec(),
        limit: ctx.query.get_limit(),
        offset: ctx.query.get_offset(),
        loads: ctx.query.get_loads(),
        actor_name: ctx.actor.and_then(|a| a.attribute("name")),
        authorize: ctx.authorize,
        tenant: ctx.tenant.cloned(),
        domain_resources: ctx.domain.schemas().map(|s| s.name).collect(),
    };
    log().push(call);
}

/// A fresh tenant: reads made with it have their loader calls to themselves.
pub fn new_tenant() -> Uuid {
    Uuid::new_v4()
}

/// The calls of manual loaders made by reads with `tenant`, in call order.
pub fn calls(tenant: Uuid) -> Vec<Call> {
    let tenant = Value::from(tenant);
    log()
        .iter()
        .filter(|c| c.tenant.as_ref() == Some(&tenant))
        .cloned()
        .collect()
}

/// The calls for one relationship made by reads with `tenant`.
pub fn calls_of(tenant: Uuid, relationship: &str) -> Vec<Call> {
    calls(tenant)
        .into_iter()
        .filter(|c| c.relationship == relationship)
        .collect()
}

// ------------------------------------------------------------ counting layer

/// Every read request a `Counting` layer received.
#[derive(Clone, Default)]
pub struct Reads(Arc<Mutex<Vec<ReadRequest>>>);

impl Reads {
    fn lock(&self) -> MutexGuard<'_, Vec<ReadRequest>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
    /// All requests so far.
    pub fn all(&self) -> Vec<ReadRequest> {
        self.lock().clone()
    }
    /// How many reads so far.
    pub fn count(&self) -> usize {
        self.lock().len()
    }
    /// The requests for `resource`.
    pub fn of(&self, resource: &str) -> Vec<ReadRequest> {
        self.lock()
            .iter()
            .filter(|r| r.schema.name == resource)
            .cloned()
            .collect()
    }
    /// The resources read, in order.
    pub fn resources(&self) -> Vec<&'static str> {
        self.lock().iter().map(|r| r.schema.name).collect()
    }
    /// Forgets the requests so far.
    pub fn clear(&self) {
        self.lock().clear();
    }
}

/// The partition keys of a request (empty when it is not partitioned).
pub fn partition_keys(request: &ReadRequest) -> Vec<Value> {
    request
        .partition
        .as_ref()
        .map(|p| p.keys.clone())
        .unwrap_or_default()
}

/// Makes a `Counting` layer fail reads of one resource.
#[derive(Clone, Default)]
pub struct FailSwitch(Arc<Mutex<Option<&'static str>>>);

impl FailSwitch {
    /// Reads of `resource` fail from now on.
    pub fn fail_reads_of(&self, resource: &'static str) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(resource);
    }
    fn fails(&self, resource: &str) -> bool {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) == Some(resource)
    }
}

/// `Memory` with every read recorded.
pub struct Counting {
    inner: Memory,
    reads: Reads,
    fail: FailSwitch,
}

impl DataLayer for Counting {
    fn name(&self) -> &'static str {
        "counting memory"
    }

    fn register(&self, schema: &'static Schema) -> ashore::Result<()> {
        self.inner.register(schema)
    }

    fn read<'a>(&'a self, request: ReadRequest) -> BoxFuture<'a, ashore::Result<ReadResult>> {
        self.reads.lock().push(request.clone());
        let resource = request.schema.name;
        if self.fail.fails(resource) {
            return Box::pin(async move {
                Err(Error::new(ErrorKind::DataLayer {
                    message: format!("reading {resource}"),
                    source: Some(Box::new(std::io::Error::new(
                        std::io::ErrorKind::ConnectionReset,
                        "connection reset by peer",
                    ))),
                }))
            });
        }
        self.inner.read(request)
    }

    fn create<'a>(
        &'a self,
        schema: &'static Schema,
        rows: Vec<Row>,
    ) -> BoxFuture<'a, ashore::Result<Records>> {
        self.inner.create(schema, rows)
    }
}

// ------------------------------------------------------------------ fixtures

/// A domain of every Helpdesk resource over a `Counting` layer.
pub struct Fx {
    pub domain: Domain,
    pub reads: Reads,
    pub fail: FailSwitch,
}

/// A fresh, empty Helpdesk domain.
pub fn helpdesk() -> Fx {
    let reads = Reads::default();
    let fail = FailSwitch::default();
    let layer = Counting {
        inner: Memory::new(),
        reads: reads.clone(),
        fail: fail.clone(),
    };
    let domain = Domain::builder()
        .data_layer(layer)
        .resource::<Representative>()
        .resource::<Ticket>()
        .resource::<Comment>()
        .resource::<Tag>()
        .resource::<TicketTag>()
        .resource::<Shift>()
        .build()
        .expect("the Helpdesk domain builds");
    Fx {
        domain,
        reads,
        fail,
    }
}

/// A point in time, `minute` minutes after a fixed instant.
pub fn at(minute: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000 + minute * 60, 0).expect("a valid timestamp")
}

/// Creates a representative (not an admin).
pub async fn rep(domain: &Domain, name: &str, threshold: i64) -> Representative {
    domain
        .create(
            Representative::changeset()
                .set(Representative::name(), name)
                .set(Representative::priority_threshold(), threshold)
                .set(Representative::admin(), false),
        )
        .await
        .expect("create a representative")
}

/// Creates an admin representative.
pub async fn admin(domain: &Domain, name: &str, threshold: i64) -> Representative {
    domain
        .create(
            Representative::changeset()
                .set(Representative::name(), name)
                .set(Representative::priority_threshold(), threshold)
                .set(Representative::admin(), true),
        )
        .await
        .expect("create an admin representative")
}

/// Creates a ticket opened at `at(minute)`.
pub async fn ticket(
    domain: &Domain,
    rep: Option<&Representative>,
    subject: &str,
    status: &str,
    priority: Option<i64>,
    minute: i64,
) -> Ticket {
    domain
        .create(
            Ticket::changeset()
                .set(Ticket::subject(), subject)
                .set(Ticket::status(), status)
                .set(Ticket::priority(), priority)
                .set(Ticket::opened_at(), at(minute))
                .set(Ticket::representative_id(), rep.map(|r| r.id)),
        )
        .await
        .expect("create a ticket")
}

/// Creates a comment on `ticket`.
pub async fn comment(domain: &Domain, ticket: &Ticket, body: &str) -> Comment {
    domain
        .create(
            Comment::changeset()
                .set(Comment::body(), body)
                .set(Comment::ticket_id(), ticket.id),
        )
        .await
        .expect("create a comment")
}

/// Creates a shift of `rep` starting at `starts_at`.
pub async fn shift(domain: &Domain, rep: &Representative, desk: &str, starts_at: i64) -> Shift {
    domain
        .create(
            Shift::changeset()
                .set(Shift::representative_id(), rep.id)
                .set(Shift::desk(), desk)
                .set(Shift::starts_at(), starts_at),
        )
        .await
        .expect("create a shift")
}

/// Creates a tag.
pub async fn tag(domain: &Domain, name: &str) -> Tag {
    domain
        .create(Tag::changeset().set(Tag::name(), name))
        .await
        .expect("create a tag")
}

/// Puts `tag` on `ticket`.
pub async fn label(domain: &Domain, ticket: &Ticket, tag: &Tag) {
    domain
        .create(
            TicketTag::changeset()
                .set(TicketTag::ticket_id(), ticket.id)
                .set(TicketTag::tag_id(), tag.id),
        )
        .await
        .expect("tag a ticket");
}

/// The subjects of `tickets`, in order.
pub fn subjects(tickets: &[Ticket]) -> Vec<&str> {
    tickets.iter().map(|t| t.subject.as_str()).collect()
}

/// The priorities of `tickets`, in order.
pub fn priorities(tickets: &[Ticket]) -> Vec<Option<i64>> {
    tickets.iter().map(|t| t.priority).collect()
}

/// The names of `reps`, sorted.
pub fn names(reps: &[Representative]) -> Vec<&str> {
    let mut names: Vec<&str> = reps.iter().map(|r| r.name.as_str()).collect();
    names.sort_unstable();
    names
}

/// The representative named `name` in `reps`.
pub fn named<'r>(reps: &'r [Representative], name: &str) -> &'r Representative {
    reps.iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no representative named {name}"))
}
