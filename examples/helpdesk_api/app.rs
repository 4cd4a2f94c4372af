//! The Helpdesk as a JSON API: the routes, the request scope made from the
//! request's headers, and errors as HTTP status codes with a JSON body. Shared
//! by `examples/helpdesk_api.rs` (which serves it) and `tests/helpdesk_api.rs`
//! (which talks to it over HTTP).
//!
//! - `x-actor: <representative id>` sets the actor of every read and write of
//!   the request, through one `support.scoped().actor(&rep)`; without it the
//!   request runs with no actor, so Ticket's policies show no ticket and allow
//!   no write. A malformed id is 400, an id of no representative 401.
//! - The Helpdesk's resources are not multitenant, so the scope has no tenant:
//!   `x-tenant` is refused (400) rather than ignored.
//! - `GET /representatives`: every representative with `tickets` and the
//!   manual relationship `tickets_above_threshold`, as the actor may see them.
//! - `GET /representatives/{id}`: one of them, 404 when there is none.
//! - `POST /tickets` with `{"subject": .., "priority": .., "representative_id": ..}`
//!   (the representative defaults to the actor): creates an open ticket as the
//!   actor; Ticket's policies allow only an admin.

use ashore::Value;
use ashore::prelude::*;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::json;

use crate::resources::{Representative, Ticket};

/// The API's routes over `support` (an unscoped domain: each request scopes
/// it by its headers).
pub fn app(support: Domain) -> Router {
    Router::new()
        .route("/representatives", get(representatives))
        .route("/representatives/{id}", get(representative))
        .route("/tickets", axum::routing::post(create_ticket))
        .with_state(support)
}

/// What a handler fails with: a status code and a message, sent as
/// `{"error": message, "kind": kind}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    kind: &'static str,
    message: String,
}

impl ApiError {
    fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            kind: "bad_request",
            message: message.into(),
        }
    }
}

/// An ashore error as the status code a client can act on: refused by a policy
/// 403, no such record 404, a value the resource refuses 422, a constraint
/// (a unique identity, a foreign key) 409, a data layer out of time 503,
/// anything else 500.
impl From<ashore::Error> for ApiError {
    fn from(error: ashore::Error) -> Self {
        let (status, kind) = match error.kind() {
            ErrorKind::Forbidden { .. } => (StatusCode::FORBIDDEN, "forbidden"),
            ErrorKind::NotFound { .. } => (StatusCode::NOT_FOUND, "not_found"),
            ErrorKind::Required { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "required"),
            ErrorKind::InvalidValue { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_value"),
            ErrorKind::TypeMismatch { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "type_mismatch"),
            ErrorKind::Constraint { .. } => (StatusCode::CONFLICT, "constraint"),
            ErrorKind::TenantRequired { .. } => (StatusCode::BAD_REQUEST, "tenant_required"),
            ErrorKind::Timeout { .. } => (StatusCode::SERVICE_UNAVAILABLE, "timeout"),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        ApiError {
            status,
            kind,
            message: error.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({ "error": self.message, "kind": self.kind });
        (self.status, axum::Json(body)).into_response()
    }
}

/// The request scope from the headers, and its actor: `x-actor` names the
/// representative the request acts as (none without the header); `x-tenant`
/// is refused, the Helpdesk being single-tenant.
async fn scope(
    support: &Domain,
    headers: &HeaderMap,
) -> Result<(Scoped, Option<Representative>), ApiError> {
    if headers.contains_key("x-tenant") {
        return Err(ApiError::bad_request(
            "header `x-tenant`: the Helpdesk's resources are not multitenant; send no tenant",
        ));
    }
    let Some(actor) = headers.get("x-actor") else {
        return Ok((support.scoped(), None));
    };
    let id = actor
        .to_str()
        .ok()
        .and_then(|id| Uuid::parse_str(id.trim()).ok())
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "header `x-actor`: expected a representative id (a UUID), found {actor:?}"
            ))
        })?;
    let mut found = support
        .read(Representative::query().filter(expr!(id == ^id)))
        .await?;
    let rep = found.pop().ok_or_else(|| ApiError {
        status: StatusCode::UNAUTHORIZED,
        kind: "unknown_actor",
        message: format!("header `x-actor`: no representative {id}"),
    })?;
    Ok((support.scoped().actor(&rep), Some(rep)))
}

/// Representatives with their tickets and the manual relationship
/// `tickets_above_threshold`, both by priority (highest first), as the scope's
/// actor may see them.
fn with_tickets(query: Query<Representative>) -> Query<Representative> {
    query
        .sort(Representative::name())
        .load(Representative::tickets().sort(Ticket::priority().desc_nils_last()))
        .load(Representative::tickets_above_threshold().sort(Ticket::priority().desc()))
}

async fn representatives(
    State(support): State<Domain>,
    headers: HeaderMap,
) -> Result<axum::Json<Vec<Representative>>, ApiError> {
    let (request, _) = scope(&support, &headers).await?;
    let reps = request.read(with_tickets(Representative::query())).await?;
    Ok(axum::Json(reps))
}

async fn representative(
    State(support): State<Domain>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<axum::Json<Representative>, ApiError> {
    let (request, _) = scope(&support, &headers).await?;
    let id = Uuid::parse_str(&id).map_err(|_| {
        ApiError::bad_request(format!("`{id}` is not a representative id (a UUID)"))
    })?;
    let mut found = request
        .read(with_tickets(
            Representative::query().filter(expr!(id == ^id)),
        ))
        .await?;
    let rep = found.pop().ok_or_else(|| {
        ashore::Error::new(ErrorKind::NotFound {
            resource: "Representative",
            key: Value::from(id),
        })
    })?;
    Ok(axum::Json(rep))
}

/// The body of `POST /tickets`; `subject` is left to the resource to require.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewTicket {
    subject: Option<String>,
    priority: Option<i64>,
    representative_id: Option<Uuid>,
}

async fn create_ticket(
    State(support): State<Domain>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, axum::Json<Ticket>), ApiError> {
    let (request, actor) = scope(&support, &headers).await?;
    let new: NewTicket = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("body: expected a ticket as JSON: {e}")))?;
    let mut changeset = Ticket::changeset()
        .set(Ticket::priority(), new.priority)
        .set(Ticket::status(), "open");
    if let Some(subject) = new.subject {
        changeset = changeset.set(Ticket::subject(), subject);
    }
    let assignee = new.representative_id.or(actor.map(|a| a.id));
    if let Some(rep) = assignee {
        changeset = changeset.set(Ticket::representative_id(), rep);
    }
    let ticket = request.create(changeset).await?;
    Ok((StatusCode::CREATED, axum::Json(ticket)))
}
