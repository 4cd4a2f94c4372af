//! A nil in a policy's `expr(..)` as SQL (and Ash) has it, on every layer: a
//! comparison with nil is neither true nor false, a `forbid_if` left so hides
//! the record (and forbids writing it) even with `authorize_if always()`
//! after it, and a policy whose condition is nil for a record governs it,
//! but not alone: a record no policy governs for certain is hidden.

use ashore::ErrorKind;
use ashore::prelude::*;

use crate::common::{Run, domain, layers};

resource! {
    /// A note: locked ones are hidden; secret ones are for admins.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Note {
        attributes {
            integer_primary_key id;
            attribute title: String;
            attribute locked: Option<bool>;
            attribute kind: Option<String>;
        }
        policies {
            policy action_type(read) {
                forbid_if expr(locked == true);
                authorize_if always();
            }
            policy expr(kind == "secret") {
                authorize_if actor_attribute_equals(admin, true);
            }
            policy action_type(create) {
                authorize_if always();
            }
        }
    }
}

resource! {
    /// A memo governed by one policy, whose condition may be nil.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Memo {
        attributes {
            integer_primary_key id;
            attribute title: String;
            attribute locked: Option<bool>;
        }
        policies {
            policy expr(locked == false) {
                authorize_if always();
            }
        }
    }
}

/// An actor that is not a resource: no admin.
#[derive(Clone)]
struct Reader {
    admin: bool,
}

impl ashore::Actor for Reader {
    fn attribute(&self, name: &str) -> Option<ashore::Value> {
        (name == "admin").then(|| self.admin.into())
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

async fn a_nil_in_a_policy_expression_never_authorizes(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Note>()).await;
    let agent = Reader { admin: false };
    let note = |title: &str, locked: Option<bool>, kind: Option<&str>| {
        Note::changeset()
            .set(Note::title(), title)
            .set(Note::locked(), locked)
            .set(Note::kind(), kind.map(str::to_owned))
    };
    for (title, locked, kind) in [
        ("unlocked", Some(false), Some("plain")),
        ("locked", Some(true), Some("plain")),
        ("lock unknown", None, Some("plain")),
        ("kind unknown", Some(false), None),
        ("secret", Some(false), Some("secret")),
    ] {
        d.create(note(title, locked, kind)).authorize(false).await?;
    }
    let seen: Vec<String> = d
        .read(Note::query())
        .actor(&agent)
        .await?
        .into_iter()
        .map(|n| n.title)
        .collect();
    assert_eq!(seen, ["unlocked"]);

    // A create is judged by the same rules: a nil kind makes the secret
    // policy govern it, and Ann is no admin.
    let err = d
        .create(note("new", Some(false), None))
        .actor(&agent)
        .await
        .expect_err("the secret policy governs a nil kind");
    assert!(matches!(err.kind(), ErrorKind::Forbidden { .. }), "{err:?}");
    d.create(note("new", Some(false), Some("plain")))
        .actor(&agent)
        .await?;
    Ok(())
}
layers!(a_nil_in_a_policy_expression_never_authorizes);

/// The one policy of `Memo` governs an unlocked memo and authorizes it; a
/// locked memo no policy governs; a memo whose `locked` is nil it governs
/// only maybe, which is not enough: hidden, as the README says.
async fn a_policy_governing_only_maybe_is_not_enough(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Memo>()).await;
    for (title, locked) in [
        ("open", Some(false)),
        ("shut", Some(true)),
        ("unknown", None),
    ] {
        d.create(
            Memo::changeset()
                .set(Memo::title(), title)
                .set(Memo::locked(), locked),
        )
        .authorize(false)
        .await?;
    }
    let seen: Vec<String> = d
        .read(Memo::query())
        .actor(&Reader { admin: false })
        .await?
        .into_iter()
        .map(|m| m.title)
        .collect();
    assert_eq!(seen, ["open"]);
    Ok(())
}
layers!(a_policy_governing_only_maybe_is_not_enough);
