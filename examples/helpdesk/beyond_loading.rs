//! Step 7 of the Helpdesk example: the guide's relationship beyond loading.
//! The same relationship declared with `parent()` and no loader finds the same
//! tickets; representatives are filtered and sorted by how many tickets are
//! above their threshold (an aggregate over it); and the manual relationship
//! itself is used in a filter, through its declared `condition`. Each answer
//! is checked against the seed.

use std::collections::BTreeMap;

use ashore::prelude::*;

use super::{Check, Representative, Seed, Ticket, expected_above, shown, subjects};

/// Runs the step on `support` as `ada` (an admin, who sees every ticket),
/// recording wrong results in `check`.
pub async fn run(
    support: &Domain,
    ada: &Representative,
    seed: &[Seed],
    check: &mut Check,
) -> ashore::Result<()> {
    let expected = expected_above(seed, None);

    // The parent() relationship, loaded like any other: the manual one's tickets.
    let by_priority = Ticket::priority().desc();
    let reps = support
        .read(
            Representative::query()
                .sort(Representative::name())
                .load(Representative::above().sort(by_priority.clone()))
                .load(Representative::tickets_above_threshold().sort(by_priority)),
        )
        .actor(ada)
        .await?;
    for rep in &reps {
        let above = subjects(rep.above.get()?);
        println!("{:<10} {}", rep.name, shown(&above));
        check.same(
            &format!("{} above (parent())", rep.name),
            above.clone(),
            expected[rep.name.as_str()].clone(),
        );
        check.same(
            &format!("{} parent() and manual agree", rep.name),
            above,
            subjects(rep.tickets_above_threshold.get()?),
        );
    }

    // Representatives with any ticket above their threshold, the busiest
    // first: a count over the relationship, in the filter and the sort,
    // loaded too. One statement on SQL.
    let busy = support
        .read(
            Representative::query()
                .filter(expr!(above_count > 0))
                .sort(Representative::above_count().desc())
                .sort(Representative::name())
                .load(Representative::above_count()),
        )
        .actor(ada)
        .await?;
    println!("\nRepresentatives with tickets above threshold, busiest first\n");
    let mut want: Vec<(&str, i64)> = counts(&expected)
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect();
    want.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut got = Vec::new();
    for rep in &busy {
        let count = *rep.above_count.get()?;
        println!("{:<10} {count}", rep.name);
        got.push((rep.name.as_str(), count));
    }
    check.same("busiest representatives", got, want);

    // The manual relationship in a filter: representatives with an urgent
    // ticket above their threshold. Through its `condition`: the loader is not
    // called.
    let urgent = support
        .read(
            Representative::query()
                .filter(expr!(exists(tickets_above_threshold, priority >= 9)))
                .sort(Representative::name()),
        )
        .actor(ada)
        .await?;
    let names: Vec<&str> = urgent.iter().map(|r| r.name.as_str()).collect();
    println!(
        "\nAn urgent ticket (priority 9 or more) above threshold: {}",
        shown(&names)
    );
    let want: Vec<&str> = seed
        .iter()
        .filter(|(_, threshold, tickets)| {
            tickets
                .iter()
                .any(|(_, p, _)| p.is_some_and(|p| p > *threshold && p >= 9))
        })
        .map(|(name, _, _)| *name)
        .collect();
    check.same("urgent through the manual relationship", names, want);
    Ok(())
}

/// How many tickets each representative has above threshold.
fn counts(expected: &BTreeMap<&'static str, Vec<&'static str>>) -> Vec<(&'static str, i64)> {
    expected
        .iter()
        .map(|(name, tickets)| (*name, tickets.len() as i64))
        .collect()
}
