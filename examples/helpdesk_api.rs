//! The Helpdesk of `examples/helpdesk.rs` as a JSON web API with axum: one
//! request scope per request (`support.scoped().actor(&rep)`, the actor from the
//! `x-actor` header), a nested load with the manual relationship
//! `tickets_above_threshold`, a write under Ticket's policies, and errors as
//! HTTP status codes with a JSON body. The routes are in `helpdesk_api/app.rs`;
//! `tests/helpdesk_api.rs` serves them and talks to them over HTTP.
//!
//! ```sh
//! cargo run --example helpdesk_api                      # in memory, on 127.0.0.1:3000
//! cargo run --example helpdesk_api -- --addr 127.0.0.1:8080 --database sqlite:/tmp/helpdesk.db
//! ```
//!
//! It seeds the Helpdesk, prints the representatives' ids and the curl commands
//! to try, and serves until Ctrl-C (then drops the PostgreSQL schema, if any).

#[path = "helpdesk_api/app.rs"]
mod app;
#[path = "helpdesk/resources.rs"]
mod resources;
#[path = "helpdesk/seed.rs"]
mod seed;
#[path = "helpdesk/store.rs"]
mod store;

use std::process::ExitCode;

use ashore::prelude::*;

use resources::Representative;
use store::Store;

const USAGE: &str = "usage: cargo run --example helpdesk_api [-- --addr HOST:PORT] [--database sqlite:PATH | --database postgres://USER@HOST:PORT/DB]";

/// What the command line asks for.
struct Args {
    addr: String,
    database: Option<String>,
}

/// `--addr HOST:PORT` (default 127.0.0.1:3000) and `--database URL`, each also
/// as `--flag=value`.
fn args() -> Result<Args, String> {
    let mut parsed = Args {
        addr: "127.0.0.1:3000".to_owned(),
        database: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
            None => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("`{flag}` needs a value"))
        };
        match flag.as_str() {
            "--addr" => parsed.addr = value()?,
            "--database" => parsed.database = Some(value()?),
            _ => return Err(format!("unknown argument `{arg}`")),
        }
    }
    Ok(parsed)
}

#[tokio::main]
async fn main() -> ExitCode {
    if std::env::args().any(|a| a == "-h" || a == "--help") {
        println!("The Helpdesk as a JSON API.\n{USAGE}");
        return ExitCode::SUCCESS;
    }
    let args = match args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let store = match Store::open(args.database.as_deref()).await {
        Ok(store) => store,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = serve(store.layer.clone(), &args.addr).await;
    store.close().await;
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Seeds the Helpdesk on `layer`, prints how to call it, and serves it on
/// `addr` until Ctrl-C.
async fn serve(layer: std::sync::Arc<dyn ashore::DataLayer>, addr: &str) -> Result<(), String> {
    let support = seed::seeded(layer).await.map_err(|e| e.to_string())?;
    let reps = support
        .read(Representative::query().sort(Representative::name()))
        .await
        .map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("Representatives (Ada is the only admin):");
    for rep in &reps {
        println!("  {:<10} {}", rep.name, rep.id);
    }
    let (ada, grace) = (&reps[0], &reps[1]);
    println!("\nListening on http://{addr} (Ctrl-C stops). Try:\n");
    println!(
        "  curl -s http://{addr}/representatives -H 'x-actor: {}'",
        ada.id
    );
    println!(
        "  curl -s http://{addr}/representatives -H 'x-actor: {}'",
        grace.id
    );
    println!(
        "  curl -s http://{addr}/tickets -H 'x-actor: {}' -H 'content-type: application/json' \\\n       -d '{{\"subject\": \"Projector dead\", \"priority\": 8, \"representative_id\": \"{}\"}}'",
        ada.id, grace.id
    );
    println!(
        "  curl -si http://{addr}/tickets -H 'x-actor: {}' -d '{{\"subject\": \"Mine\"}}'   # 403: only admins write",
        grace.id
    );
    axum::serve(listener, app::app(support))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}
