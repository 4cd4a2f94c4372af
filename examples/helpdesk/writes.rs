//! Step 8 of the Helpdesk example: writes, each checked against the data as
//! read back. Ada is an admin, so Ticket's write policy lets her write; Grace
//! is not, so her update is forbidden and changes nothing.

use ashore::ErrorKind;
use ashore::prelude::*;

use super::{Check, Comment, Representative, Ticket};

/// Runs the writes on `support` as `ada` (an admin) and `grace`, recording
/// wrong results in `check`.
pub async fn run(
    support: &Domain,
    ada: &Representative,
    grace: &Representative,
    check: &mut Check,
) -> ashore::Result<()> {
    let ticket = |subject: &'static str| Ticket::query().filter(expr!(subject == ^subject));
    let one = |subject: &'static str| async move {
        let mut found = support.read(ticket(subject)).actor(ada).await?;
        found
            .pop()
            .ok_or_else(|| ashore::Error::loader(format!("no ticket {subject:?}")))
    };

    // Close a ticket: only the status changes.
    let printer = one("Printer on fire").await?;
    let closed = support
        .update(
            &printer,
            Ticket::changeset().set(Ticket::status(), "closed"),
        )
        .actor(ada)
        .await?;
    println!("closed     {:<22} status {}", closed.subject, closed.status);
    check.same("closed status", closed.status.as_str(), "closed");
    check.same("closed priority kept", closed.priority, printer.priority);

    // Reassign: every ticket of Margaret's goes to Grace, in one statement.
    let margaret = support
        .read(Representative::query().filter(expr!(name == "Margaret")))
        .await?
        .remove(0);
    let margarets_id = margaret.id;
    let moved = support
        .update_all(
            Ticket::query().filter(expr!(representative_id == ^margarets_id)),
            Ticket::changeset().set(Ticket::representative_id(), grace.id),
        )
        .actor(ada)
        .await?;
    println!(
        "reassigned {} ticket(s) from Margaret to Grace: {}",
        moved.len(),
        super::shown(&super::subjects(&moved))
    );
    check.same(
        "reassigned",
        super::subjects(&moved),
        vec!["Keyboard sticky", "Untriaged"],
    );

    // Grace may read her own tickets but not write them: forbidden, and
    // nothing changes.
    let hers = one("Mail server down").await?;
    let refused = support
        .update(&hers, Ticket::changeset().set(Ticket::priority(), 1))
        .actor(grace)
        .await;
    match &refused {
        Err(e) if matches!(e.kind(), ErrorKind::Forbidden { .. }) => {
            println!("refused    {e}");
        }
        other => check.same(
            "Grace's update is forbidden",
            format!("{:?}", other.as_ref().map(|t| &t.subject)),
            "Err(Forbidden)".to_owned(),
        ),
    }
    check.same(
        "priority after the forbidden update",
        one("Mail server down").await?.priority,
        Some(10),
    );

    // Destroy a ticket and its comments together: in one transaction, so
    // neither goes without the other.
    let printer_id = printer.id;
    let (comments, gone) = support
        .transaction(|tx| async move {
            let comments = tx
                .destroy_all(Comment::query().filter(expr!(ticket_id == ^printer_id)))
                .actor(ada)
                .await?;
            let gone = tx.destroy(&printer).actor(ada).await?;
            Ok::<_, ashore::Error>((comments.len(), gone))
        })
        .await?;
    println!(
        "destroyed  {:<22} and its {comments} comment(s), in one transaction",
        gone.subject
    );
    check.same("comments destroyed", comments, 2);
    check.same(
        "ticket destroyed",
        support.get::<Ticket>(gone.id).actor(ada).await?.is_none(),
        true,
    );

    // A transaction that fails rolls back what it wrote.
    let failed: ashore::Result<()> = support
        .transaction(|tx| async move {
            tx.create(
                Ticket::changeset()
                    .set(Ticket::subject(), "Never kept")
                    .set(Ticket::status(), "open"),
            )
            .actor(ada)
            .await?;
            Err(ashore::Error::loader("the billing service is down"))
        })
        .await;
    let kept = support
        .read(ticket("Never kept"))
        .actor(ada)
        .count()
        .await?;
    println!(
        "rolled back: {} ({kept} ticket kept)",
        failed
            .err()
            .map_or("no error".to_owned(), |e| e.to_string())
    );
    check.same("rolled back", kept, 0);
    Ok(())
}
