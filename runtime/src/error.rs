//! `ashore::Error`: one error type for every failure, with a kind that says what went
//! wrong and a path that says where (`Representative.tickets.representative`).

use std::fmt;

use crate::action::Action;
use crate::value::Value;

/// The result type of every fallible ashore call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An error from a read, a load or a write.
///
/// The path names the resource and the chain of relationships being loaded when the
/// error happened; the kind says what happened and which record or key was involved.
///
/// An error in a nested load names the whole way down:
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk! { has_many audited: Ticket { manual Audited; } }
/// // In this example, `Representative` declares `has_many audited: Ticket { manual Audited; }`.
/// /// Tickets from an audit log that is offline.
/// struct Audited;
///
/// impl ManualRelationship for Audited {
///     type Source = Representative;
///     type Destination = Ticket;
///
///     async fn load(
///         &self,
///         _: &[Representative],
///         _: &LoadContext<'_, Ticket>,
///     ) -> ashore::Result<Related<Representative, Ticket>> {
///         Err(Error::loader("the audit log is offline"))
///     }
/// }
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let err = support
///     .read(
///         Representative::query().load(
///             Representative::tickets()
///                 .load(Ticket::representative().load(Representative::audited())),
///         ),
///     )
///     .await
///     .unwrap_err();
/// assert_eq!(
///     err.path(),
///     ["Representative", "tickets", "representative", "audited"]
/// );
/// assert_eq!(
///     err.to_string(),
///     "Representative.tickets.representative.audited: the audit log is offline"
/// );
/// assert!(matches!(err.kind(), ErrorKind::Loader(_)));
/// # Ok(()) }
/// ```
pub struct Error(Box<Inner>);

/// What an [`Error`] holds, boxed so that every `Result` stays one pointer wide
/// on its error side (results are returned for every column of every row).
#[derive(Debug)]
struct Inner {
    kind: ErrorKind,
    path: Vec<&'static str>,
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("path", &self.0.path)
            .finish()
    }
}

/// What went wrong. Non-exhaustive: match the kinds you handle and keep a
/// fallback arm.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk! { has_one any_ticket: Ticket { manual AnyTicket; } }
/// // In this example, `Representative` declares
/// // `has_one any_ticket: Ticket { manual AnyTicket; }`.
/// /// Every ticket of each representative, for a has_one: too many.
/// struct AnyTicket;
///
/// impl ManualRelationship for AnyTicket {
///     type Source = Representative;
///     type Destination = Ticket;
///
///     async fn load(
///         &self,
///         reps: &[Representative],
///         ctx: &LoadContext<'_, Ticket>,
///     ) -> ashore::Result<Related<Representative, Ticket>> {
///         let ids: Vec<Uuid> = reps.iter().map(|r| r.id).collect();
///         let tickets = ctx
///             .query
///             .clone()
///             .filter(expr!(representative_id in ^ids))
///             .read(ctx)
///             .await?;
///         Ok(Related::group_by(tickets, |t| t.representative_id))
///     }
/// }
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// fn describe(err: &Error) -> String {
///     match err.kind() {
///         ErrorKind::NotLoaded => "load it first".into(),
///         ErrorKind::Required { attribute, .. } => format!("{attribute} is missing"),
///         ErrorKind::TooManyRecords { count, .. } => format!("{count} records for a has_one"),
///         other => other.to_string(),
///     }
/// }
///
/// let alice = representative(&support, "Alice").await?;
/// assert_eq!(describe(&alice.tickets.get().unwrap_err()), "load it first");
///
/// let err = support.create(Ticket::changeset()).await.unwrap_err();
/// assert_eq!(describe(&err), "subject is missing");
///
/// // `any_ticket` is a has_one whose loader returns every ticket of each representative.
/// let err = support
///     .read(Representative::query().load(Representative::any_ticket()))
///     .await
///     .unwrap_err();
/// assert_eq!(describe(&err), "3 records for a has_one");
/// assert_eq!(err.path(), ["Representative", "any_ticket"]);
/// # Ok(()) }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A relationship field was read before it was loaded.
    #[error(
        "relationship not loaded: add `.load(Resource::relationship())` to the query that read this record"
    )]
    NotLoaded,
    /// A manual loader returned records under a key that is not the primary key of
    /// any record it was given.
    #[error(
        "the manual loader returned records for key {key}, which belongs to no record it was given"
    )]
    KeyOfNoParent {
        /// The stray key.
        key: Value,
    },
    /// A has_one relationship produced several records for one source record.
    #[error("has_one produced {count} records for key {key}; it allows at most one")]
    TooManyRecords {
        /// The source record's key.
        key: Value,
        /// How many records were found.
        count: usize,
    },
    /// `Related::by_position` was given a different number of groups than records.
    #[error("the manual loader returned {groups} groups by position for {records} records")]
    PositionMismatch {
        /// How many groups came back.
        groups: usize,
        /// How many records were given to the loader.
        records: usize,
    },
    /// A resource was used with a domain it was not registered in.
    #[error(
        "resource `{resource}` is not registered in this domain; add `.resource::<{resource}>()` to the builder"
    )]
    NotRegistered {
        /// The resource's name.
        resource: &'static str,
    },
    /// A resource declared `not_stored` was read or created, or a relationship
    /// that is not manual leads to it.
    #[error(
        "resource `{resource}` is not stored (`not_stored`): its records come only from manual \
         loaders, so it cannot be read or created, and only a manual relationship can lead to it"
    )]
    NotStored {
        /// The resource's name.
        resource: &'static str,
    },
    /// A create left out an attribute that may not be nil.
    #[error("attribute `{attribute}` of {resource} is required but was not set")]
    Required {
        /// The resource's name.
        resource: &'static str,
        /// The attribute's name.
        attribute: &'static str,
    },
    /// A write broke a unique (or primary-key), foreign-key or not-null
    /// constraint. The database's error is the source (the in-memory layer, which
    /// checks primary keys, belongs_to keys and identities, gives one naming the key). Under a
    /// tenant, a belongs_to key into a multitenant resource that names no record
    /// of the tenant is a foreign-key violation found before the data layer is
    /// asked, with the same source whether another tenant has the key.
    ///
    /// A violated identity is named in `identity` (and in the message: "unique
    /// constraint `unique_email` violated on Ticket"), on every layer: SQL
    /// layers map the index the database names back to the identity.
    #[error("{constraint} constraint {}violated on {resource}{}", identity.map(|i| format!("`{i}` ")).unwrap_or_default(), attribute.filter(|_| identity.is_none()).map(|a| format!(".{a}")).unwrap_or_default())]
    Constraint {
        /// The resource written.
        resource: &'static str,
        /// The attribute the constraint is on, when the database says.
        attribute: Option<&'static str>,
        /// The identity violated (a unique constraint), when it is one.
        identity: Option<&'static str>,
        /// Which kind of constraint.
        constraint: Constraint,
        /// The database's error.
        #[source]
        source: Source,
    },
    /// A filter or sort named something the resource does not have, or compared
    /// values that cannot be compared. Typed filters from `expr!` are checked by
    /// the compiler; this is for expressions built at run time.
    #[error("invalid query on {resource}: {message}")]
    InvalidQuery {
        /// The resource the query is for.
        resource: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A create or an update gave an attribute a value no data layer stores
    /// alike: a float that is NaN, text holding a NUL character, a date or a
    /// timestamp outside the years 1 to 9999. Refused before the data layer is
    /// called, on every layer.
    #[error("attribute `{attribute}` of {resource} is {reason}; such a value is refused")]
    InvalidValue {
        /// The resource's name.
        resource: &'static str,
        /// The attribute's name.
        attribute: &'static str,
        /// What the value is, and why it is refused.
        reason: &'static str,
    },
    /// A value read from the data layer does not fit the attribute's type.
    #[error("attribute `{attribute}` of {resource}{} expects {expected}, found {found}", key.as_ref().map(|k| format!(" {k}")).unwrap_or_default())]
    TypeMismatch {
        /// The resource's name.
        resource: &'static str,
        /// The attribute's name.
        attribute: &'static str,
        /// The primary key of the record the value was read for, when it
        /// could be read (the value may be the key itself).
        key: Option<Value>,
        /// What the attribute's type is.
        expected: &'static str,
        /// What was found.
        found: Value,
    },
    /// The policies forbid the action: a write the actor may not make (nothing
    /// is written), or a record the actor may not read, loaded through a
    /// relationship with `authorize_read_with error` (or returned by a manual
    /// loader there).
    #[error("forbidden: the actor may not {action} {resource}{}", key.as_ref().map(|k| format!(" {k}")).unwrap_or_default())]
    Forbidden {
        /// The resource.
        resource: &'static str,
        /// What the actor may not do.
        action: Action,
        /// The record's primary key, when one record is forbidden (a record
        /// read or updated, a record created with its key set).
        key: Option<Value>,
    },
    /// A read or write of a multitenant resource without `.tenant(..)`, which
    /// the resource does not allow (no `global;` in its `multitenancy` block).
    #[error("{resource} is multitenant: give the call a tenant with `.tenant(..)`")]
    TenantRequired {
        /// The resource read or written.
        resource: &'static str,
    },
    /// A policy's `^actor(field)` or `actor_attribute_equals` names a field the
    /// actor does not have (never taken as a silent mismatch).
    #[error("a policy of {resource} uses the actor's `{attribute}`, which the actor does not have")]
    ActorAttribute {
        /// The resource whose policy it is.
        resource: &'static str,
        /// The field named.
        attribute: &'static str,
    },
    /// A data layer gave up waiting: for a connection to be made (and logged
    /// in), for a free connection in its pool, or for a statement to finish.
    /// The limit is one of the layer's settings, named in the message (for
    /// PostgreSQL, a field of `PostgresSettings`). A statement that timed out
    /// was cancelled and its connection closed: nothing of it is left running.
    #[error("timed out after {after:?} {waiting_for} (the limit is `{setting}`)")]
    Timeout {
        /// What was being waited for.
        waiting_for: Waiting,
        /// How long was waited: the setting's value.
        after: std::time::Duration,
        /// The setting that holds the limit, to raise it.
        setting: &'static str,
    },
    /// An update or destroy of one record found no record with its primary
    /// key that the write may touch: it was destroyed meanwhile, or it is
    /// another tenant's, or hidden from the actor (all alike, so a write cannot
    /// learn whether a hidden record exists). Ash's `StaleRecord`.
    #[error("{resource} {key} was not found: it does not exist, or this write may not touch it")]
    NotFound {
        /// The resource written.
        resource: &'static str,
        /// The primary key looked for.
        key: Value,
    },
    /// A data layer does not do this operation (a layer of your own that keeps
    /// a default of [`DataLayer`](crate::DataLayer)).
    #[error("the data layer `{layer}` does not support {operation}")]
    Unsupported {
        /// The layer's name.
        layer: &'static str,
        /// What was asked (`"update"`, `"destroy"`).
        operation: &'static str,
    },
    /// `migrate` (or `migration_plan`) found a table that does not match its
    /// resource and that it cannot change safely: a missing required column,
    /// a column of another type, a `NOT NULL` the resource would break, a
    /// `NOT NULL` column the resource does not know. Nothing was changed.
    #[error(
        "the table `{table}` of {resource} does not match it: column `{column}`: expected {expected}, found {found}; {fix}"
    )]
    SchemaDrift {
        /// The resource.
        resource: &'static str,
        /// Its table.
        table: &'static str,
        /// The column.
        column: String,
        /// What the resource needs.
        expected: String,
        /// What the table has.
        found: String,
        /// What to do.
        fix: &'static str,
    },
    /// A statement inside a transaction failed in a way that aborted the
    /// whole transaction on the database's side, so nothing it wrote is kept,
    /// even if the block went on after ignoring that statement's error.
    /// Every later call in the transaction returns this, and so does its
    /// commit, which rolls it back instead
    /// ([`Domain::transaction`](crate::Domain::transaction) returns it).
    ///
    /// On PostgreSQL, any statement the server refuses aborts the transaction
    /// unless it runs in a savepoint, as each write does (a failed write is
    /// undone alone): a read, a count, an aggregate, raw SQL through
    /// `Postgres::query`, a migration, or any statement that ran past the
    /// statement timeout. On SQLite, only a statement after which SQLite
    /// itself rolls the transaction back (`INSERT OR ROLLBACK`, a full disk),
    /// or raw SQL that ends it. The memory layer never aborts a transaction.
    #[error(
        "the transaction was aborted by an earlier statement that failed ({failed}); \
         nothing it wrote is kept"
    )]
    TransactionAborted {
        /// What failed, as its own error said (or, when that error reached
        /// nobody, why it is not known).
        failed: String,
    },
    /// An error returned by a user's manual loader, shown as it is.
    #[error(transparent)]
    Loader(Source),
    /// An error from the data layer (a database error is kept as the source).
    #[error("data layer: {message}")]
    DataLayer {
        /// What the data layer was doing.
        message: String,
        /// The underlying error.
        #[source]
        source: Option<Source>,
    },
}

/// A kind of database constraint, in an [`ErrorKind::Constraint`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Constraint {
    /// A unique or primary key.
    Unique,
    /// A foreign key (a belongs_to whose record does not exist).
    ForeignKey,
    /// A value that may not be nil.
    NotNull,
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Constraint::Unique => "unique",
            Constraint::ForeignKey => "foreign key",
            Constraint::NotNull => "not-null",
        })
    }
}

/// What a data layer was waiting for when it timed out, in an
/// [`ErrorKind::Timeout`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Waiting {
    /// A new connection: reaching the server and logging in.
    Connect,
    /// A connection from the pool, all of whose connections were in use.
    Pool,
    /// A statement (or a create's transaction) to finish.
    Statement,
}

impl fmt::Display for Waiting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Waiting::Connect => "reaching the database and logging in",
            Waiting::Pool => {
                "waiting for a free connection: every connection of the pool is in use"
            }
            Waiting::Statement => {
                "waiting for a statement to finish; it was cancelled and its connection closed"
            }
        })
    }
}

impl Error {
    /// An error of this kind, without a path yet: for data layers and loaders
    /// that report one of ashore's kinds.
    pub fn new(kind: ErrorKind) -> Self {
        Error(Box::new(Inner {
            kind,
            path: Vec::new(),
        }))
    }

    /// A data layer's error: what it was doing or found, with no underlying error.
    /// Every data layer reports its own failures through this (or
    /// [`Error::data_layer_caused`]), so they read alike.
    pub fn data_layer(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::DataLayer {
            message: message.into(),
            source: None,
        })
    }

    /// A data layer's error caused by `source` (a database driver's error), which
    /// stays reachable through [`std::error::Error::source`].
    pub fn data_layer_caused(message: impl Into<String>, source: impl Into<Source>) -> Self {
        Error::new(ErrorKind::DataLayer {
            message: message.into(),
            source: Some(source.into()),
        })
    }

    /// Wraps an error of a manual loader (or any user code) so it can be returned
    /// from `ManualRelationship::load`.
    ///
    /// It displays as the error wrapped, which may be of any error type (its
    /// `source()` chain is kept). [`Error`]'s example shows one reaching the
    /// caller.
    pub fn loader(error: impl Into<Source>) -> Self {
        Error::new(ErrorKind::Loader(error.into()))
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// Where: the resource read or written, then each relationship being
    /// loaded. Empty where the kind alone says it (a create's changesets
    /// checked: a value missing or invalid; a resource not registered or not
    /// stored), and for errors outside reads, loads and writes (building a
    /// domain, a migration, a transaction's own statements).
    pub fn path(&self) -> &[&'static str] {
        &self.0.path
    }

    /// Records that the error happened while loading `relationship` of `resource`.
    /// Called on the way out of each level of a nested load, so the path reads from
    /// the root resource down.
    pub fn in_relationship(mut self, resource: &'static str, relationship: &'static str) -> Self {
        let path = &mut self.0.path;
        if path.is_empty() {
            *path = vec![resource, relationship];
        } else {
            // The inner level named its own resource first; the outer level names
            // the relationship that led there instead.
            path[0] = relationship;
            path.insert(0, resource);
        }
        self
    }

    /// Names the record a [`ErrorKind::TypeMismatch`] was read for by its
    /// primary key (`key` is called only then, and only when the error names
    /// none yet; a nil key names none).
    pub(crate) fn of_record(mut self, key: impl FnOnce() -> Option<Value>) -> Self {
        if let ErrorKind::TypeMismatch {
            key: slot @ None, ..
        } = &mut self.0.kind
        {
            *slot = key().filter(|k| !k.is_null());
        }
        self
    }

    /// Records the resource a read was for, when the error has no path yet.
    pub fn in_resource(mut self, resource: &'static str) -> Self {
        if self.0.path.is_empty() {
            self.0.path.push(resource);
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.0.path.is_empty() {
            write!(f, "{}: ", self.0.path.join("."))?;
        }
        write!(f, "{}", self.0.kind)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.0.kind)
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error::new(kind)
    }
}
