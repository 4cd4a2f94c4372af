//! Text functions in filters (`contains`, `starts_with`, `ends_with`, `like`,
//! `ilike`, `lower`, `upper`, `length`, `concat`): the same answers on every
//! layer, nil in giving nil out, simple case mapping for non-ASCII text,
//! `length` in characters, `%` and `_` literal outside `like` patterns, and
//! values with quotes bound, never spliced. Each test runs on memory, SQLite
//! and PostgreSQL (`layers!`); the expected answers are written out or
//! computed in Rust with `ashore::text`, the rules every layer follows.

use ashore::prelude::*;
use ashore::{ErrorKind, Expr, TextOp, text};

use crate::common::*;
use crate::expr::{B, Table};

resource! {
    /// Nullable text, and a number for the operands that are not text.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Doc {
        attributes {
            integer_primary_key id;
            attribute body: Option<String>;
            attribute tail: Option<String>;
            attribute n: Option<i64>;
        }
    }
}

resource! {
    /// Notes a `Doc` actor reads when their text starts with the actor's body
    /// or matches its tail as an `ilike` pattern: templates in text functions.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Note {
        attributes {
            integer_primary_key id;
            attribute text: String;
        }
        policies {
            policy action_type(read) {
                authorize_if expr(starts_with(text, ^actor(body)));
                authorize_if expr(ilike(text, ^actor(tail)) and length(text) > 2);
            }
        }
    }
}

resource! {
    /// Docs by their `n`, through a relationship whose `filter` calls text
    /// functions. (`label` because a PostgreSQL create of a resource holding
    /// nothing but a generated key writes `INSERT INTO "shelf" () ..`, a
    /// syntax error, for now.)
    #[derive(Debug, Clone, PartialEq)]
    pub struct Shelf {
        attributes {
            integer_primary_key id;
            attribute label: Option<String>;
        }
        relationships {
            has_many accented: Doc {
                destination_attribute n;
                filter ilike(body, "%é%") or contains(upper(tail), "Σ");
            }
        }
    }
}

/// Bodies with nil, the empty text, accents, `ß`, Greek, `%`, `_`, quotes and
/// backslashes; each with a tail (nil for some) to test two attributes.
const BODIES: [(Option<&str>, Option<&str>); 18] = [
    (None, Some("off")),
    (Some(""), Some("")),
    (Some("ÉCOLE"), Some("LE")),
    (Some("école"), Some("É")),
    (Some("straße"), Some("ße")),
    (Some("STRASSE"), None),
    (Some("ΣΑΣ"), Some("Σ")),
    (Some("σας"), Some("ς")),
    (Some("Ωμέγα"), Some("γα")),
    (Some("50% off"), Some("off")),
    (Some("5000 off"), Some("0 o")),
    (Some("a_b"), Some("a_")),
    (Some("axb"), Some("_")),
    (Some("it's"), Some("'")),
    (Some("say \"hi\""), Some("\"")),
    (Some("x'; DROP TABLE doc; --"), Some("'; DROP")),
    (Some("C:\\"), Some("\\")),
    (Some("urgent: printer on fire"), None),
];

async fn docs(run: &Run) -> Table<Doc> {
    let changesets = BODIES
        .iter()
        .enumerate()
        .map(|(i, (body, tail))| {
            Doc::changeset()
                .set(Doc::body(), body.map(str::to_owned))
                .set(Doc::tail(), tail.map(str::to_owned))
                .set(Doc::n(), Some(i as i64))
        })
        .collect();
    Table::new(run, changesets).await
}

/// The ids of the docs whose body is one of `bodies`.
fn with_body(t: &Table<Doc>, bodies: &[&str]) -> Vec<i64> {
    let mut ids: Vec<i64> = t
        .rows
        .iter()
        .filter(|d| d.body.as_deref().is_some_and(|b| bodies.contains(&b)))
        .map(|d| d.id)
        .collect();
    ids.sort_unstable();
    ids
}

/// `f` of body and tail, nil when either is nil.
fn both(d: &Doc, f: impl Fn(&str, &str) -> bool) -> B {
    Some(f(d.body.as_deref()?, d.tail.as_deref()?))
}

/// `f` of the body, nil when it is nil.
fn body(d: &Doc, f: impl Fn(&str) -> bool) -> B {
    Some(f(d.body.as_deref()?))
}

async fn contains_starts_with_and_ends_with(run: Run) -> ashore::Result<()> {
    let t = docs(&run).await;
    let q = Doc::query;
    t.check(q().filter(expr!(contains(body, tail))), |d| {
        both(d, |b, t| b.contains(t))
    })
    .await;
    t.check(q().filter(expr!(starts_with(body, tail))), |d| {
        both(d, |b, t| b.starts_with(t))
    })
    .await;
    t.check(q().filter(expr!(ends_with(body, tail))), |d| {
        both(d, |b, t| b.ends_with(t))
    })
    .await;
    // Nil in, nil out: neither the test nor its negation matches a nil body.
    t.check(q().filter(expr!(not contains(body, tail))), |d| {
        both(d, |b, t| !b.contains(t))
    })
    .await;
    t.check(q().filter(expr!(not ends_with(body, "off"))), |d| {
        body(d, |b| !b.ends_with("off"))
    })
    .await;

    // `%` and `_` are plain characters here.
    let ids = |bodies| with_body(&t, bodies);
    assert_eq!(
        t.ids(q().filter(expr!(contains(body, "50%")))).await,
        ids(&["50% off"])
    );
    assert_eq!(
        t.ids(q().filter(expr!(starts_with(body, "a_")))).await,
        ids(&["a_b"])
    );
    assert_eq!(
        t.ids(q().filter(expr!(ends_with(body, "_b")))).await,
        ids(&["a_b"])
    );
    assert_eq!(t.ids(q().filter(expr!(contains(body, "%")))).await.len(), 1);

    // Quotes and SQL in values are values.
    let injection = "'; DROP TABLE doc; --";
    assert_eq!(
        t.ids(q().filter(expr!(contains(body, ^injection)))).await,
        ids(&["x'; DROP TABLE doc; --"])
    );
    assert_eq!(
        t.ids(q().filter(expr!(ends_with(body, "\"hi\"")))).await,
        ids(&["say \"hi\""])
    );
    assert_eq!(
        t.ids(q().filter(expr!(contains(body, "'")))).await,
        ids(&["it's", "x'; DROP TABLE doc; --"])
    );

    // Non-ASCII, case-sensitively; the empty text is in every text.
    assert_eq!(
        t.ids(q().filter(expr!(contains(body, "ß")))).await,
        ids(&["straße"])
    );
    assert_eq!(
        t.ids(q().filter(expr!(starts_with(body, "É")))).await,
        ids(&["ÉCOLE"])
    );
    assert_eq!(
        t.ids(q().filter(expr!(contains(body, "")))).await.len(),
        BODIES.len() - 1
    );
    Ok(())
}

layers!(contains_starts_with_and_ends_with);

async fn lower_and_upper_map_each_character(run: Run) -> ashore::Result<()> {
    let t = docs(&run).await;
    let q = Doc::query;
    let ids = |bodies| with_body(&t, bodies);
    assert_eq!(
        t.ids(q().filter(expr!(lower(body) == "école"))).await,
        ids(&["ÉCOLE", "école"])
    );
    assert_eq!(
        t.ids(q().filter(expr!(upper(body) == "ÉCOLE"))).await,
        ids(&["ÉCOLE", "école"])
    );
    // `ß` has no one-character capital: simple case mapping keeps it.
    assert_eq!(
        t.ids(q().filter(expr!(upper(body) == "STRAßE"))).await,
        ids(&["straße"])
    );
    assert_eq!(
        t.ids(q().filter(expr!(lower(body) == "strasse"))).await,
        ids(&["STRASSE"])
    );
    // No final-sigma rule: `Σ` lowers to `σ` wherever it is.
    assert_eq!(
        t.ids(q().filter(expr!(lower(body) == "σασ"))).await,
        ids(&["ΣΑΣ"])
    );
    assert_eq!(
        t.ids(q().filter(expr!(upper(body) == "ΣΑΣ"))).await,
        ids(&["ΣΑΣ", "σας"])
    );
    assert_eq!(
        t.ids(q().filter(expr!(upper(body) == "ΩΜΈΓΑ"))).await,
        ids(&["Ωμέγα"])
    );
    // Against another attribute, and nested.
    t.check(q().filter(expr!(lower(body) == lower(tail))), |d| {
        both(d, |b, t| text::lower(b) == text::lower(t))
    })
    .await;
    t.check(q().filter(expr!(contains(upper(body), upper(tail)))), |d| {
        both(d, |b, t| text::upper(b).contains(&text::upper(t)))
    })
    .await;
    t.check(
        q().filter(expr!(length(lower(body)) == length(body))),
        |d| body(d, |_| true),
    )
    .await;
    t.check(q().filter(expr!(is_nil(upper(body)))), |d| {
        Some(d.body.is_none())
    })
    .await;
    Ok(())
}

layers!(lower_and_upper_map_each_character);

async fn length_counts_characters(run: Run) -> ashore::Result<()> {
    let t = docs(&run).await;
    let q = Doc::query;
    let len = |s: &str| s.chars().count() as i64;
    for n in [0_i64, 3, 5, 6, 7] {
        t.check(q().filter(expr!(length(body) == ^n)), |d| {
            body(d, |b| len(b) == n)
        })
        .await;
    }
    assert_eq!(
        t.ids(q().filter(expr!(length(body) == 6))).await,
        with_body(&t, &["straße"])
    );
    t.check(q().filter(expr!(length(body) > length(tail) + 3)), |d| {
        both(d, |b, t| len(b) > len(t) + 3)
    })
    .await;
    t.check(q().filter(expr!(length(body) * 2 >= n)), |d| {
        Some(len(d.body.as_deref()?) * 2 >= d.n?)
    })
    .await;
    Ok(())
}

layers!(length_counts_characters);

async fn like_and_ilike_patterns(run: Run) -> ashore::Result<()> {
    let t = docs(&run).await;
    let q = Doc::query;
    let ids = |bodies| with_body(&t, bodies);
    for pattern in [
        "%", "", "_", "%off", "5%", "a_b", "%ß%", "É%", "é%", "%\\%%", "__%", "%'%", "C:\\",
        "C:\\\\", "σ_ς", "Σ%",
    ] {
        t.check(q().filter(expr!(like(body, ^pattern))), |d| {
            body(d, |b| text::like(b, pattern))
        })
        .await;
        t.check(q().filter(expr!(ilike(body, ^pattern))), |d| {
            body(d, |b| text::ilike(b, pattern))
        })
        .await;
        t.check(q().filter(expr!(not like(body, ^pattern))), |d| {
            body(d, |b| !text::like(b, pattern))
        })
        .await;
    }
    assert_eq!(
        t.ids(q().filter(expr!(like(body, "a_b")))).await,
        ids(&["a_b", "axb"])
    );
    assert_eq!(
        t.ids(q().filter(expr!(like(body, "a\\_b")))).await,
        ids(&["a_b"])
    );
    assert_eq!(
        t.ids(q().filter(expr!(like(body, "50\\% off")))).await,
        ids(&["50% off"])
    );
    // Case-sensitive, and not with `ilike`, in every alphabet.
    assert_eq!(
        t.ids(q().filter(expr!(like(body, "é%")))).await,
        ids(&["école"])
    );
    assert_eq!(
        t.ids(q().filter(expr!(ilike(body, "é%")))).await,
        ids(&["ÉCOLE", "école"])
    );
    assert_eq!(
        t.ids(q().filter(expr!(ilike(body, "STRA%")))).await,
        ids(&["straße", "STRASSE"])
    );
    assert_eq!(
        t.ids(q().filter(expr!(ilike(body, "σ_σ")))).await,
        ids(&["ΣΑΣ"])
    );
    // A backslash at the end stands for itself.
    assert_eq!(
        t.ids(q().filter(expr!(like(body, "C:\\")))).await,
        ids(&["C:\\"])
    );
    // A nil pattern matches nothing, nor does its negation.
    let none: Option<String> = None;
    assert!(t.ids(q().filter(expr!(like(body, ^none)))).await.is_empty());
    assert!(
        t.ids(q().filter(expr!(not ilike(body, ^none))))
            .await
            .is_empty()
    );
    Ok(())
}

layers!(like_and_ilike_patterns);

async fn concat_joins_texts(run: Run) -> ashore::Result<()> {
    let t = docs(&run).await;
    let q = Doc::query;
    t.check(q().filter(expr!(concat(body, tail) == "50% offoff")), |d| {
        both(d, |b, t| format!("{b}{t}") == "50% offoff")
    })
    .await;
    t.check(
        q().filter(expr!(length(concat(body, " ", tail)) > 8)),
        |d| both(d, |b, t| format!("{b} {t}").chars().count() > 8),
    )
    .await;
    t.check(
        q().filter(expr!(starts_with(concat(tail, body), "'"))),
        |d| both(d, |b, t| format!("{t}{b}").starts_with('\'')),
    )
    .await;
    // Nil in, nil out: a nil tail makes the whole nil.
    let stras = with_body(&t, &["STRASSE"]);
    assert!(
        !t.ids(q().filter(expr!(is_nil(concat(body, "!", tail)))))
            .await
            .is_empty()
    );
    assert!(
        t.ids(q().filter(expr!(is_nil(concat(body, tail)))))
            .await
            .contains(&stras[0])
    );
    Ok(())
}

layers!(concat_joins_texts);

/// Built without `expr!`: a text function of a number is nil, and a `like`
/// pattern that is not a constant is the same `InvalidQuery` everywhere.
async fn the_runtime_api_and_its_errors(run: Run) -> ashore::Result<()> {
    let t = docs(&run).await;
    let q = Doc::query;
    let body = || Expr::attr("body");
    let with = |e: Expr| q().filter_expr(e);
    assert_eq!(
        t.ids(with(Expr::contains(body(), Expr::value("off"))))
            .await,
        with_body(&t, &["50% off", "5000 off"])
    );
    assert_eq!(
        t.ids(with(Expr::cmp(
            ashore::CmpOp::Eq,
            Expr::lower(body()),
            Expr::value("école")
        )))
        .await,
        with_body(&t, &["ÉCOLE", "école"])
    );
    assert_eq!(
        t.ids(with(Expr::ilike(body(), "%OFF"))).await,
        with_body(&t, &["50% off", "5000 off"])
    );
    let number = || Expr::attr("n");
    assert!(
        t.ids(with(Expr::contains(number(), Expr::value("1"))))
            .await
            .is_empty()
    );
    assert!(
        t.ids(with(Expr::contains(number(), Expr::value("1")).not()))
            .await
            .is_empty()
    );
    assert_eq!(
        t.ids(with(Expr::is_nil(Expr::length(number()))))
            .await
            .len(),
        BODIES.len()
    );
    assert_eq!(Expr::like(body(), "A%").to_string(), "like(body, \"A%\")");

    let not_constant = Expr::TextOp(TextOp::Like, Box::new(body()), Box::new(Expr::attr("tail")));
    let err = t
        .domain
        .read(with(not_constant))
        .await
        .expect_err("a pattern that is not a constant");
    assert!(
        matches!(err.kind(), ErrorKind::InvalidQuery { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("the pattern of `like` must be a constant"),
        "{err}"
    );
    let not_condition = Expr::lower(body());
    let err = t
        .domain
        .read(with(not_condition))
        .await
        .expect_err("lower is no condition");
    assert!(err.to_string().contains("is not a condition"), "{err}");
    Ok(())
}

layers!(the_runtime_api_and_its_errors);

/// On the Helpdesk (declared with `resource!` here, with the derive in the
/// derive parity run): through a relationship path and inside `exists`.
async fn text_functions_through_relationships(run: Run) -> ashore::Result<()> {
    let fx = ada_and_bob(&run).await;
    let d = &fx.domain;
    let tickets = d
        .read(Ticket::query().filter(expr!(lower(representative.name) == "ada")))
        .await?;
    let mut found = subjects(&tickets);
    found.sort_unstable();
    assert_eq!(found, ["a1", "a9"]);
    let reps = d
        .read(Representative::query().filter(expr!(exists(tickets, starts_with(subject, "b")))))
        .await?;
    assert_eq!(names(&reps), ["Bob"]);
    let tickets = d
        .read(Ticket::query().filter(expr!(ilike(concat(subject, "-", status), "%-OPEN"))))
        .await?;
    assert_eq!(subjects(&tickets), ["a9", "b2", "bnil", "orphan"]);
    Ok(())
}

layers!(text_functions_through_relationships);

async fn policies_with_text_functions_of_the_actor(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Note>().resource::<Doc>()).await;
    let texts = ["ab", "abc", "xyz", "XZ", "z", "ÉCOLE"];
    for text in texts {
        d.create(Note::changeset().set(Note::text(), text.to_owned()))
            .authorize(false)
            .await?;
    }
    let actor = |body: Option<&str>, tail: Option<&str>| Doc {
        id: 1,
        body: body.map(str::to_owned),
        tail: tail.map(str::to_owned),
        n: None,
    };
    let readable = |actor: Doc| {
        let d = &d;
        async move {
            let notes = d.read(Note::query()).actor(&actor).authorize(true).await?;
            Ok::<_, ashore::Error>(notes.into_iter().map(|n| n.text).collect::<Vec<_>>())
        }
    };
    assert_eq!(
        readable(actor(Some("ab"), Some("%Z"))).await?,
        ["ab", "abc", "xyz"]
    );
    assert_eq!(readable(actor(None, Some("é%"))).await?, ["ÉCOLE"]);
    // A nil template matches nothing.
    assert!(readable(actor(None, None)).await?.is_empty());
    Ok(())
}

layers!(policies_with_text_functions_of_the_actor);

async fn relationship_filters_with_text_functions(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Shelf>().resource::<Doc>()).await;
    let docs: Vec<Doc> = {
        let changesets = BODIES.iter().enumerate().map(|(i, (body, tail))| {
            Doc::changeset()
                .set(Doc::body(), body.map(str::to_owned))
                .set(Doc::tail(), tail.map(str::to_owned))
                .set(Doc::n(), Some(i as i64 % 5))
        });
        d.create_many(changesets.collect::<Vec<_>>()).await?
    };
    let shelves: Vec<Shelf> = d
        .create_many(
            (0..5)
                .map(|_| Shelf::changeset().set(Shelf::label(), None))
                .collect::<Vec<_>>(),
        )
        .await?;
    let accented = |doc: &Doc| {
        doc.body.as_deref().is_some_and(|b| text::ilike(b, "%é%"))
            || doc
                .tail
                .as_deref()
                .is_some_and(|t| text::upper(t).contains('Σ'))
    };
    let expected = |shelf: &Shelf| -> Vec<i64> {
        let of_shelf = docs.iter().filter(|doc| doc.n == Some(shelf.id));
        of_shelf
            .filter(|doc| accented(doc))
            .map(|doc| doc.id)
            .collect()
    };
    let loaded = d.read(Shelf::query().load(Shelf::accented())).await?;
    for shelf in &loaded {
        let ids: Vec<i64> = shelf.accented.get()?.iter().map(|doc| doc.id).collect();
        assert_eq!(ids, expected(shelf), "shelf {}", shelf.id);
    }
    assert!(loaded.iter().any(|s| !expected(s).is_empty()));
    let found = d
        .read(Shelf::query().filter(expr!(exists(accented, length(body) > 4))))
        .await?;
    let want: Vec<i64> = shelves
        .iter()
        .filter(|s| {
            docs.iter().any(|doc| {
                doc.n == Some(s.id)
                    && accented(doc)
                    && doc.body.as_deref().is_some_and(|b| b.chars().count() > 4)
            })
        })
        .map(|s| s.id)
        .collect();
    assert_eq!(found.iter().map(|s| s.id).collect::<Vec<_>>(), want);
    Ok(())
}

layers!(relationship_filters_with_text_functions);
