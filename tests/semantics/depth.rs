//! Deep filters (issue 12): a filter nested deeper than `MAX_FILTER_DEPTH` is
//! `InvalidQuery` naming the limit, on every layer, and never overflows the
//! stack; one nested up to the limit reads as its flat equivalent. Every read
//! runs on a thread with a 2 MiB stack (a tokio task's default), where a
//! 100,000-deep `Expr` is also displayed, compared, cloned and dropped.
//! Each test runs on memory, SQLite and PostgreSQL (`layers!`).

use std::future::Future;

use ashore::prelude::*;
use ashore::{CmpOp, MAX_FILTER_DEPTH, RELATIONSHIP_HOP_DEPTH, Value};

use crate::common::*;

/// What a user can build at run time, far past any limit.
const HOSTILE_DEPTH: usize = 100_000;

/// Runs the future `f` makes on a thread with a 2 MiB stack and a runtime of
/// its own, while the caller's runtime keeps running (PostgreSQL's
/// connections live there). A stack overflow would abort the whole test binary.
async fn on_small_stack<T, F, Fut>(f: F) -> T
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = T>,
    T: Send + 'static,
{
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            let _ = tx.send(runtime.block_on(f()));
        })
        .expect("a thread");
    rx.await.expect("the thread finished")
}

/// The shapes a deep filter on tickets can take.
#[derive(Clone, Copy, Debug)]
enum Shape {
    /// `priority == 0 or (priority == 1 or (..))`
    Or,
    /// `priority >= 0 and (priority >= 1 and (..))`, every bound at most 1.
    And,
    /// `not not .. (priority > 3)`
    Not,
    /// `exists(representative, exists(tickets, .. priority > 3))`
    Exists,
}

const SHAPES: [Shape; 4] = [Shape::Or, Shape::And, Shape::Not, Shape::Exists];

fn priority() -> Expr {
    Expr::attr("priority")
}

fn priority_is(op: CmpOp, v: i64) -> Expr {
    Expr::cmp(op, priority(), Expr::value(v))
}

/// A filter on tickets of `shape` exactly `depth` deep (at least 3; even for
/// `Exists`, whose innermost expression is then on tickets), built
/// from the inside out so that building it does not recurse.
fn deep(shape: Shape, depth: usize) -> Expr {
    // A comparison of two leaves is 2 deep; each wrapper adds one.
    let wrappers = depth - 2;
    let mut e = match shape {
        Shape::Or => priority_is(CmpOp::Eq, wrappers as i64),
        Shape::And => priority_is(CmpOp::Ge, 1),
        Shape::Not => priority_is(CmpOp::Gt, 3),
        Shape::Exists => return nested_exists(wrappers, priority_is(CmpOp::Gt, 3)),
    };
    for i in (0..wrappers).rev() {
        e = match shape {
            Shape::Or => priority_is(CmpOp::Eq, i as i64).or(e),
            Shape::And => priority_is(CmpOp::Ge, i.min(1) as i64).and(e),
            Shape::Not | Shape::Exists => e.not(),
        };
    }
    e
}

/// What `deep(shape, depth)` means, written flat.
fn flat(shape: Shape, depth: usize) -> Expr {
    let wrappers = depth - 2;
    match shape {
        Shape::Or => Expr::is_in(priority(), (0..=wrappers as i64).map(Value::from).collect()),
        Shape::And => priority_is(CmpOp::Ge, 1),
        Shape::Not if wrappers.is_multiple_of(2) => priority_is(CmpOp::Gt, 3),
        Shape::Not => priority_is(CmpOp::Gt, 3).not(),
        // Every hop back to tickets stays among the same representative's.
        Shape::Exists => deep(Shape::Exists, 4),
    }
}

async fn tickets(d: &Domain, filter: Expr) -> Result<Vec<String>> {
    let tickets = d.read(Ticket::query().filter_expr(filter)).await?;
    Ok(subjects(&tickets).into_iter().map(str::to_owned).collect())
}

fn assert_too_deep(result: Result<Vec<String>>, what: &str) {
    let err = result.expect_err(what);
    assert!(
        matches!(
            err.kind(),
            ErrorKind::InvalidQuery {
                resource: "Ticket",
                ..
            }
        ),
        "{what}: {err}"
    );
    let message = err.to_string();
    assert!(
        message.contains("MAX_FILTER_DEPTH") && message.contains(&MAX_FILTER_DEPTH.to_string()),
        "{what}: {message}"
    );
}

layers!(a_filter_deeper_than_the_limit_is_invalid_and_never_overflows);
async fn a_filter_deeper_than_the_limit_is_invalid_and_never_overflows(run: Run) -> Result<()> {
    let d = ada_and_bob(&run).await.domain;
    on_small_stack(move || async move {
        for shape in SHAPES {
            for depth in [MAX_FILTER_DEPTH + 1, HOSTILE_DEPTH] {
                let what = format!("{shape:?} {depth} deep");
                assert_too_deep(tickets(&d, deep(shape, depth)).await, &what);
                // The filter of a load is checked as well.
                let loaded = d
                    .read(
                        Representative::query()
                            .load(Representative::tickets().filter_expr(deep(shape, depth))),
                    )
                    .await
                    .map(|_| Vec::new());
                assert_too_deep(loaded, &format!("{what}, in a load"));
            }
        }
    })
    .await;
    Ok(())
}

layers!(a_filter_up_to_the_limit_reads_as_its_flat_equivalent);
async fn a_filter_up_to_the_limit_reads_as_its_flat_equivalent(run: Run) -> Result<()> {
    let d = ada_and_bob(&run).await.domain;
    on_small_stack(move || async move {
        for shape in SHAPES {
            // Each `exists` is one hop: as many as RELATIONSHIP_HOP_DEPTH allows.
            let depths = match shape {
                Shape::Exists => vec![6, MOST_HOPS + 2],
                _ => vec![100, MAX_FILTER_DEPTH - 1, MAX_FILTER_DEPTH],
            };
            for depth in depths {
                let what = format!("{shape:?} {depth} deep");
                let filter = deep(shape, depth);
                assert!(filter.depth_within(depth) && !filter.depth_within(depth - 1));
                let got = tickets(&d, filter)
                    .await
                    .unwrap_or_else(|e| panic!("{what}: {e}"));
                let want = tickets(&d, flat(shape, depth)).await?;
                assert!(!want.is_empty(), "{what}: the test needs some match");
                assert_eq!(got, want, "{what}");
            }
        }
        Ok(())
    })
    .await
}

#[test]
fn a_hostile_expr_is_shown_compared_cloned_and_dropped_on_a_small_stack() {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            for shape in SHAPES {
                let e = deep(shape, HOSTILE_DEPTH);
                let shown = e.to_string();
                assert!(shown.contains('…'), "{shape:?}: elided below the limit");
                assert!(
                    shown.len() < 100 * MAX_FILTER_DEPTH,
                    "{shape:?}: {} bytes",
                    shown.len()
                );
                let debug = format!("{e:?}");
                assert!(debug.contains('…'), "{shape:?}: elided below the limit");
                let copy = e.clone();
                assert!(copy == e, "{shape:?}: a clone equals its original");
                // Different only at the bottom, 100,000 levels down.
                let other = deep(shape, HOSTILE_DEPTH + 1);
                assert!(copy != other, "{shape:?}");
                drop(e);
                drop(copy);
                drop(other);
            }
            // Shallow expressions show in full, as before.
            let e = deep(Shape::Not, 5);
            assert_eq!(e.to_string(), "not not not priority > 3");
            assert_eq!(
                format!("{:?}", priority_is(CmpOp::Eq, 1).or(Expr::attr("a").not())),
                "Or(Cmp(Eq, Attr { path: [], name: \"priority\" }, Value(Int(1))), \
                 Not(Attr { path: [], name: \"a\" }))"
            );
        })
        .expect("a thread")
        .join()
        .expect("no panic");
}

/// `exists(representative, exists(tickets, ..inner))`, `hops` of them (even,
/// so that `inner` is on tickets), built from the inside out.
fn nested_exists(hops: usize, inner: Expr) -> Expr {
    (0..hops).rev().fold(inner, |e, i| Expr::Exists {
        path: vec![
            if i % 2 == 0 {
                "representative"
            } else {
                "tickets"
            }
            .into(),
        ],
        expr: Box::new(e),
    })
}

/// The most relationship hops a filter may nest: each takes
/// `RELATIONSHIP_HOP_DEPTH` levels and its own.
const MOST_HOPS: usize = 10;
const _: () = assert!(MOST_HOPS * (RELATIONSHIP_HOP_DEPTH + 1) + 2 <= MAX_FILTER_DEPTH);

layers!(relationship_hops_beyond_the_limit_are_invalid);
async fn relationship_hops_beyond_the_limit_are_invalid(run: Run) -> Result<()> {
    let d = ada_and_bob(&run).await.domain;
    // The most hops read (as the flat filter).
    let most = tickets(&d, nested_exists(MOST_HOPS, priority_is(CmpOp::Gt, 3))).await?;
    // Every ticket of a representative with one above 3.
    assert_eq!(most, ["a9", "a1"]);
    let too_many = [
        // Two `exists` too many (an even number keeps the end on tickets).
        nested_exists(MOST_HOPS + 2, priority_is(CmpOp::Gt, 3)),
        // As many `exists` as allowed, and a path at the end.
        nested_exists(
            MOST_HOPS,
            Expr::cmp(
                CmpOp::Eq,
                Expr::path_attr(["representative"], "name"),
                Expr::value("Ada"),
            ),
        ),
    ];
    for filter in too_many {
        let err = tickets(&d, filter).await.expect_err("too many hops");
        assert!(
            matches!(
                err.kind(),
                ErrorKind::InvalidQuery {
                    resource: "Ticket",
                    ..
                }
            ),
            "{err}"
        );
        assert!(
            err.to_string().contains("RELATIONSHIP_HOP_DEPTH (24)"),
            "{err}"
        );
    }
    Ok(())
}

layers!(the_deepest_allowed_filters_read_on_every_layer);
async fn the_deepest_allowed_filters_read_on_every_layer(run: Run) -> Result<()> {
    let d = ada_and_bob(&run).await.domain;
    on_small_stack(move || async move {
        // Hops around an expression as deep as the rest of MAX_FILTER_DEPTH
        // allows: SQLite's own expression limit must not be met first.
        for hops in (2..=MOST_HOPS).step_by(2) {
            for shape in [Shape::Or, Shape::And, Shape::Not] {
                let what = format!("{shape:?} under {hops} hops");
                let inner = deep(
                    shape,
                    MAX_FILTER_DEPTH - hops * (RELATIONSHIP_HOP_DEPTH + 1),
                );
                let got = tickets(&d, nested_exists(hops, inner.clone()))
                    .await
                    .unwrap_or_else(|e| panic!("{what}: {e}"));
                let want = tickets(&d, nested_exists(2, inner)).await?;
                assert!(!want.is_empty(), "{what}: the test needs some match");
                assert_eq!(got, want, "{what}");
            }
        }
        Ok(())
    })
    .await
}

layers!(nested_exists_that_never_match_finish);
/// Every hop to tickets meets 30 of them and nothing matches, so each level
/// tries all: 30^5 inner evaluations per ticket unless what an `exists` found
/// for a record is reused (the in-memory layer reuses it; PostgreSQL plans the
/// subqueries as joins). SQLite runs each correlated subquery per row, as
/// written, and takes that long: a known gap (README), left out here.
async fn nested_exists_that_never_match_finish(run: Run) -> Result<()> {
    if run.layer == Layer::Sqlite {
        return Ok(());
    }
    let fx = helpdesk(&run).await;
    let d = &fx.domain;
    for name in ["Ada", "Bob"] {
        let r = rep(d, name, 3).await;
        let tickets = (0..30).map(|i| {
            Ticket::changeset()
                .set(Ticket::subject(), format!("{name}{i}"))
                .set(Ticket::status(), "open")
                .set(Ticket::priority(), Some(i))
                .set(Ticket::opened_at(), at(i))
                .set(Ticket::representative_id(), Some(r.id))
        });
        d.create_many(tickets.collect::<Vec<_>>()).await?;
    }
    let filter = nested_exists(MOST_HOPS, priority_is(CmpOp::Gt, 100));
    // The in-memory read is synchronous, so a timeout could not stop it: the
    // time is checked afterwards (milliseconds reused, minutes not).
    let started = std::time::Instant::now();
    let found = tickets(d, filter).await?;
    assert!(found.is_empty());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "nested `exists` took {:?}",
        started.elapsed()
    );
    Ok(())
}
