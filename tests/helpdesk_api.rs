//! `examples/helpdesk_api.rs` over real HTTP: its router (`helpdesk_api/app.rs`)
//! served on 127.0.0.1 by the test, on the in-memory Helpdesk seed, and plain
//! HTTP/1.1 requests written to a `TcpStream` (no client crate). Checks that the
//! `x-actor` header changes what comes back, that the manual relationship is in
//! the JSON (and relationships not loaded are not), the write as an admin and
//! its refusal (403) for anyone else, and the status codes of bad requests.

#[path = "../examples/helpdesk_api/app.rs"]
mod app;
#[path = "../examples/helpdesk/resources.rs"]
mod resources;
#[path = "../examples/helpdesk/seed.rs"]
mod seed;

use std::net::SocketAddr;
use std::sync::Arc;

use ashore::prelude::*;
use serde_json::Value as Json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use resources::{Representative, Ticket};

/// A response as read off the socket.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, which every answer of the API is.
    fn json(&self) -> Json {
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "{self:?}"
        );
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {self:?}"))
    }
}

/// Serves the Helpdesk API on a free port of 127.0.0.1, in this test's runtime.
async fn serve() -> (SocketAddr, Domain) {
    let support = seed::seeded(Arc::new(Memory::new())).await.unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app::app(support.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (addr, support)
}

/// One request over a new connection (`Connection: close`): the status line,
/// headers and body of the response, the body as long as `Content-Length` says.
async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: Option<&str>,
) -> Reply {
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(body) = body {
        request.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    request.push_str("\r\n");
    request.push_str(body.unwrap_or_default());
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let raw = String::from_utf8(raw).unwrap();
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .expect("a blank line after the headers");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let mut parts = status_line.splitn(3, ' ');
    assert_eq!(parts.next(), Some("HTTP/1.1"), "{status_line}");
    let status = parts.next().unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').expect("`name: value`");
            (name.trim().to_owned(), value.trim().to_owned())
        })
        .collect();
    let reply = Reply {
        status,
        headers,
        body: body.to_owned(),
    };
    let length: usize = reply
        .header("content-length")
        .expect("a Content-Length (no chunked bodies here)")
        .parse()
        .unwrap();
    assert_eq!(reply.body.len(), length, "{reply:?}");
    reply
}

/// `GET path` as `actor` (none without), which must succeed: its JSON.
async fn get(addr: SocketAddr, path: &str, actor: Option<Uuid>) -> Json {
    let headers: Vec<_> = actor
        .map(|a| ("x-actor", a.to_string()))
        .into_iter()
        .collect();
    let reply = http(addr, "GET", path, &headers, None).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    reply.json()
}

/// `POST /tickets` with `body` as `actor` (none without).
async fn post_ticket(addr: SocketAddr, actor: Option<Uuid>, body: &str) -> Reply {
    let headers: Vec<_> = actor
        .map(|a| ("x-actor", a.to_string()))
        .into_iter()
        .collect();
    http(addr, "POST", "/tickets", &headers, Some(body)).await
}

/// The representatives' ids by name.
async fn ids(support: &Domain) -> (Uuid, Uuid) {
    let reps = support
        .read(Representative::query().sort(Representative::name()))
        .await
        .unwrap();
    let id = |name: &str| reps.iter().find(|r| r.name == name).unwrap().id;
    (id("Ada"), id("Grace"))
}

/// `field` of each element of a JSON list, as strings.
fn strings(list: &Json, field: &str) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .map(|item| item[field].as_str().unwrap().to_owned())
        .collect()
}

/// The representative named `name` in a JSON list of them.
fn rep<'a>(reps: &'a Json, name: &str) -> &'a Json {
    reps.as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {reps}"))
}

#[tokio::test]
async fn the_actor_header_scopes_the_nested_manual_load() {
    let (addr, support) = serve().await;
    let (ada, grace) = ids(&support).await;

    // As Ada, an admin: every ticket, and the guide's manual relationship.
    let reps = get(addr, "/representatives", Some(ada)).await;
    assert_eq!(
        strings(&reps, "name"),
        ["Ada", "Grace", "Linus", "Margaret"]
    );
    assert_eq!(
        strings(&rep(&reps, "Ada")["tickets_above_threshold"], "subject"),
        [
            "Printer on fire",
            "Laptop won't boot",
            "VPN drops every hour"
        ]
    );
    assert_eq!(
        strings(&rep(&reps, "Grace")["tickets_above_threshold"], "subject"),
        ["Mail server down"]
    );
    assert_eq!(rep(&reps, "Ada")["tickets"].as_array().unwrap().len(), 5);
    assert_eq!(rep(&reps, "Ada")["priority_threshold"], 3);
    // Relationships not loaded are left out, at both levels.
    let ada_json = rep(&reps, "Ada").as_object().unwrap();
    assert!(
        !ada_json.contains_key("tickets_above_threshold_raw"),
        "{ada_json:?}"
    );
    let ticket = rep(&reps, "Ada")["tickets"][0].as_object().unwrap();
    assert_eq!(ticket["subject"], "Printer on fire");
    assert!(!ticket.contains_key("comments"), "{ticket:?}");
    assert!(!ticket.contains_key("representative"), "{ticket:?}");
    assert_eq!(ticket["representative_id"], ada.to_string());

    // As Grace: her own tickets only, in both relationships.
    let reps = get(addr, "/representatives", Some(grace)).await;
    assert_eq!(
        rep(&reps, "Ada")["tickets_above_threshold"],
        serde_json::json!([])
    );
    assert_eq!(rep(&reps, "Ada")["tickets"], serde_json::json!([]));
    assert_eq!(
        strings(&rep(&reps, "Grace")["tickets_above_threshold"], "subject"),
        ["Mail server down"]
    );
    assert_eq!(rep(&reps, "Grace")["tickets"].as_array().unwrap().len(), 3);

    // No actor: the representatives, and no ticket.
    let reps = get(addr, "/representatives", None).await;
    for r in reps.as_array().unwrap() {
        assert_eq!(r["tickets"], serde_json::json!([]), "{r}");
        assert_eq!(r["tickets_above_threshold"], serde_json::json!([]), "{r}");
    }

    // One representative, with the same loads.
    let one = get(addr, &format!("/representatives/{grace}"), Some(ada)).await;
    assert_eq!(
        strings(&one["tickets_above_threshold"], "subject"),
        ["Mail server down"]
    );
}

#[tokio::test]
async fn a_ticket_is_created_by_an_admin_and_refused_to_anyone_else() {
    let (addr, support) = serve().await;
    let (ada, grace) = ids(&support).await;

    // Ada assigns Grace a ticket above Grace's threshold (6).
    let body = format!(
        r#"{{"subject": "Projector dead", "priority": 8, "representative_id": "{grace}"}}"#
    );
    let reply = post_ticket(addr, Some(ada), &body).await;
    assert_eq!(reply.status, 201, "{reply:?}");
    let created = reply.json();
    assert_eq!(created["subject"], "Projector dead");
    assert_eq!(created["status"], "open");
    assert_eq!(created["representative_id"], grace.to_string());
    let reps = get(addr, "/representatives", Some(grace)).await;
    assert_eq!(
        strings(&rep(&reps, "Grace")["tickets_above_threshold"], "subject"),
        ["Mail server down", "Projector dead"]
    );

    // Grace is no admin: Ticket's write policy refuses, nothing is written.
    let reply = post_ticket(addr, Some(grace), r#"{"subject": "Mine", "priority": 9}"#).await;
    assert_eq!(reply.status, 403, "{reply:?}");
    let error = reply.json();
    assert_eq!(error["kind"], "forbidden");
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .contains("may not create Ticket"),
        "{error}"
    );
    // Nor can a request with no actor.
    let reply = post_ticket(addr, None, r#"{"subject": "Anonymous"}"#).await;
    assert_eq!(reply.status, 403, "{reply:?}");
    let mine = support
        .read(Ticket::query().filter(expr!(subject == "Mine" or subject == "Anonymous")))
        .authorize(false)
        .await
        .unwrap();
    assert!(mine.is_empty(), "{mine:?}");

    // A ticket without its subject: the resource requires it.
    let reply = post_ticket(addr, Some(ada), r#"{"priority": 1}"#).await;
    assert_eq!(reply.status, 422, "{reply:?}");
    assert_eq!(reply.json()["kind"], "required");
}

#[tokio::test]
async fn bad_headers_and_unknown_records_have_their_status() {
    let (addr, support) = serve().await;
    let (ada, _) = ids(&support).await;
    let expect = |reply: Reply, status: u16, kind: &str| {
        assert_eq!(reply.status, status, "{reply:?}");
        assert_eq!(reply.json()["kind"], kind, "{reply:?}");
    };

    let reply = http(
        addr,
        "GET",
        "/representatives",
        &[("x-actor", "Ada".into())],
        None,
    )
    .await;
    assert!(
        reply.json()["error"].as_str().unwrap().contains("x-actor"),
        "{reply:?}"
    );
    expect(reply, 400, "bad_request");
    // The Helpdesk is not multitenant: a tenant is refused, not ignored.
    let reply = http(
        addr,
        "GET",
        "/representatives",
        &[("x-actor", ada.to_string()), ("x-tenant", "acme".into())],
        None,
    )
    .await;
    expect(reply, 400, "bad_request");
    let nobody = Uuid::new_v4();
    let reply = http(
        addr,
        "GET",
        "/representatives",
        &[("x-actor", nobody.to_string())],
        None,
    )
    .await;
    expect(reply, 401, "unknown_actor");
    let reply = http(
        addr,
        "GET",
        &format!("/representatives/{nobody}"),
        &[],
        None,
    )
    .await;
    expect(reply, 404, "not_found");
    let reply = post_ticket(addr, Some(ada), "{not json").await;
    expect(reply, 400, "bad_request");
}
