//! Unit tests of the filter language: parse trees, generated calls and errors.

use super::*;

/// What `expr!` generates for `src`.
fn generated(src: &str) -> String {
    let out = crate::expand::expr(src.parse().unwrap());
    assert!(!out.to_string().contains("compile_error"), "{out}");
    out.to_string()
}

/// The first error of `expr!` on `src`.
fn error(src: &str) -> String {
    let out = crate::expand::expr(src.parse().unwrap());
    match crate::tests::compile_errors(&out).into_iter().next() {
        Some(message) => message,
        None => panic!("expected an error, got {out}"),
    }
}

/// The tree as Ash would print it, fully parenthesised.
fn tree(src: &str) -> String {
    fn show(e: &Expr) -> String {
        match e {
            Expr::Logic { op, lhs, rhs, .. } => {
                format!("({} {:?} {})", show(lhs), op, show(rhs))
            }
            Expr::Not { expr, .. } => format!("not {}", show(expr)),
            Expr::Cmp { op, lhs, rhs, .. } => format!("({} {:?} {})", show(lhs), op, show(rhs)),
            Expr::In { lhs, list, .. } => match list {
                List::Literal { elements, .. } => {
                    let e: Vec<_> = elements.iter().map(show).collect();
                    format!("({} in [{}])", show(lhs), e.join(", "))
                }
                List::Pinned(p) => format!("({} in ^{})", show(lhs), p.tokens),
            },
            Expr::Arith { op, lhs, rhs, .. } => {
                format!("({} {:?} {})", show(lhs), op, show(rhs))
            }
            Expr::Neg { expr, .. } => format!("-{}", show(expr)),
            Expr::Lit(l) => quote::ToTokens::to_token_stream(l).to_string(),
            Expr::Pin(p) => format!("^({})", p.tokens),
            Expr::Template(t) => match &t.field {
                Some(f) => format!("^{}({f})", t.name),
                None => format!("^{}()", t.name),
            },
            Expr::Path(p) => p
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("."),
            Expr::IsNil { expr, .. } => format!("is_nil({})", show(expr)),
            Expr::Call { function, args, .. } => {
                let a: Vec<_> = args.iter().map(show).collect();
                format!("{}({})", function.name(), a.join(", "))
            }
            Expr::Exists { path, body, .. } => {
                let p: Vec<_> = path.iter().map(ToString::to_string).collect();
                format!("exists({}, {})", p.join("."), show(body))
            }
            Expr::Parent { field, .. } => format!("parent({field})"),
        }
    }
    let e = syn::parse::Parser::parse2(parse::parse_whole, src.parse().unwrap()).unwrap();
    show(&e)
}

#[test]
fn parent_names_one_attribute_of_the_source() {
    assert_eq!(
        tree("representative_id == parent(id) and priority > parent(priority_threshold)"),
        "((representative_id Eq parent(id)) And (priority Gt parent(priority_threshold)))"
    );
    assert_eq!(
        tree("exists(comments, author == parent(name))"),
        "exists(comments, (author Eq parent(name)))"
    );
    assert_eq!(
        error("parent(representative.name) == name"),
        "`parent(..)` names one attribute of the relationship's source, not a path: \
         `parent(priority_threshold)`"
    );
    assert_eq!(
        error("parent() == name"),
        "expected the name of one of the source's attributes: `parent(priority_threshold)`"
    );
}

#[test]
fn precedence_loosest_first() {
    assert_eq!(
        tree("a or b and not c == 1 || d"),
        "((a Or (b And not (c Eq 1))) Or d)"
    );
    assert_eq!(tree("!a && b"), "(not a And b)");
    assert_eq!(
        tree("a + b * -c > 2 - 1 - 1"),
        "((a Add (b Mul -c)) Gt ((2 Sub 1) Sub 1))"
    );
    assert_eq!(tree("(a or b) and c"), "((a Or b) And c)");
    assert_eq!(tree("a <= 1 and b != \"x\""), "((a Le 1) And (b Ne \"x\"))");
}

#[test]
fn operands() {
    assert_eq!(
        tree("representative.team.name == ^name"),
        "(representative.team.name Eq ^(name))"
    );
    assert_eq!(tree("a == ^self.min.0"), "(a Eq ^(self . min . 0))");
    assert_eq!(tree("a == ^(x + 1)"), "(a Eq ^(x + 1))");
    assert_eq!(tree("a == ^consts::MAX"), "(a Eq ^(consts :: MAX))");
    // A pinned call: a tuple struct, a method, a path's function.
    assert_eq!(tree("a > ^Cents(100)"), "(a Gt ^(Cents (100)))");
    assert_eq!(tree("a == ^x.len()"), "(a Eq ^(x . len ()))");
    assert_eq!(
        tree("a == ^Status::parse(\"open\").code"),
        "(a Eq ^(Status :: parse (\"open\") . code))"
    );
    assert_eq!(tree("a in [1, -2, ^x,]"), "(a in [1, -2, ^(x)])");
    assert_eq!(tree("a in ^ids"), "(a in ^ids)");
    assert_eq!(tree("is_nil(a.b) or true"), "(is_nil(a.b) Or true)");
    assert_eq!(
        tree("exists(a.b, exists(c, d > 2.5))"),
        "exists(a.b, exists(c, (d Gt 2.5)))"
    );
    assert_eq!(
        tree("contains(lower(a.b), \"x\",) and length(c) + 1 > 2"),
        "(contains(lower(a.b), \"x\") And ((length(c) Add 1) Gt 2))"
    );
    assert_eq!(
        tree("like(concat(a, \"-\", b or c), ^p)"),
        "like(concat(a, \"-\", (b Or c)), ^(p))"
    );
    // Attributes named like functions are still attributes.
    assert_eq!(tree("length > lower"), "(length Gt lower)");
}

#[test]
fn generated_calls() {
    assert_eq!(
        generated("priority > 3"),
        "| __ashore_f | :: ashore :: __private :: condition (:: ashore :: __private :: cmp_ordered (:: ashore :: __private :: CmpOp :: Gt , :: ashore :: __private :: field (& __ashore_f . priority , & [] , \"priority\") , 3i64))"
    );
    assert_eq!(
        generated("representative_id in ^ids"),
        "| __ashore_f | :: ashore :: __private :: condition (:: ashore :: __private :: in_list (:: ashore :: __private :: field (& __ashore_f . representative_id , & [] , \"representative_id\") , & (ids)))"
    );
    assert_eq!(
        generated("priority > representative.priority_threshold"),
        "| __ashore_f | :: ashore :: __private :: condition (:: ashore :: __private :: cmp_ordered (:: ashore :: __private :: CmpOp :: Gt , :: ashore :: __private :: field (& __ashore_f . priority , & [] , \"priority\") , :: ashore :: __private :: field (& :: ashore :: __private :: through (& __ashore_f . representative) . priority_threshold , & [\"representative\"] , \"priority_threshold\")))"
    );
    let g = generated("not is_nil(a) and -b * 2 + -1 <= 0 or s in [\"x\", ^y]");
    for part in [
        ":: ashore :: __private :: or (:: ashore :: __private :: and (:: ashore :: __private :: not (:: ashore :: __private :: is_nil (:: ashore :: __private :: field (& __ashore_f . a , & [] , \"a\")))",
        ":: ashore :: __private :: arith (:: ashore :: __private :: ArithOp :: Add , :: ashore :: __private :: arith (:: ashore :: __private :: ArithOp :: Mul , :: ashore :: __private :: neg (:: ashore :: __private :: field (& __ashore_f . b , & [] , \"b\")) , 2i64) , - 1i64)",
        ":: ashore :: __private :: in_list (:: ashore :: __private :: field (& __ashore_f . s , & [] , \"s\") , [:: ashore :: __private :: element (\"x\") , :: ashore :: __private :: element (& (y))])",
    ] {
        assert!(g.contains(part), "{part}\nnot in\n{g}");
    }
    assert_eq!(
        generated("exists(tickets, exists(tags, label == \"x\"))"),
        "| __ashore_f | :: ashore :: __private :: condition (:: ashore :: __private :: exists (:: ashore :: __private :: through (& __ashore_f . tickets) , & [\"tickets\"] , | __ashore_g | :: ashore :: __private :: exists (:: ashore :: __private :: through (& __ashore_g . tags) , & [\"tags\"] , | __ashore_g | :: ashore :: __private :: cmp (:: ashore :: __private :: CmpOp :: Eq , :: ashore :: __private :: field (& __ashore_g . label , & [] , \"label\") , \"x\"))))"
    );
}

#[test]
fn text_functions_generate_one_call_each() {
    assert_eq!(
        generated("ilike(name, ^p)"),
        "| __ashore_f | :: ashore :: __private :: condition (:: ashore :: __private :: ilike (:: ashore :: __private :: field (& __ashore_f . name , & [] , \"name\") , & (p)))"
    );
    assert_eq!(
        generated("length(upper(a)) > 1"),
        "| __ashore_f | :: ashore :: __private :: condition (:: ashore :: __private :: cmp_ordered (:: ashore :: __private :: CmpOp :: Gt , :: ashore :: __private :: length (:: ashore :: __private :: upper (:: ashore :: __private :: field (& __ashore_f . a , & [] , \"a\"))) , 1i64))"
    );
    // `concat` of three is two calls, left first.
    assert_eq!(
        generated("starts_with(concat(a, \" \", b), \"x\")"),
        "| __ashore_f | :: ashore :: __private :: condition (:: ashore :: __private :: starts_with (:: ashore :: __private :: concat (:: ashore :: __private :: concat (:: ashore :: __private :: field (& __ashore_f . a , & [] , \"a\") , \" \") , :: ashore :: __private :: field (& __ashore_f . b , & [] , \"b\")) , \"x\"))"
    );
}

#[test]
fn errors_say_what_was_expected() {
    assert_eq!(
        error("a < b < c"),
        "comparisons cannot be chained: join them with `and`, as in `a < b and b < c`"
    );
    assert_eq!(error("a = 1"), "use `==` to compare");
    assert_eq!(
        error("a == nil"),
        "`nil` is not a value in a filter: test for it with `is_nil(x)` or `not is_nil(x)`"
    );
    assert_eq!(
        error("subject + \"x\" == \"y\""),
        "`+` adds numbers: join text with `concat(a, b)`"
    );
    assert_eq!(error("lower(a) * 2 > 1"), "`*` takes numbers, not text");
    assert_eq!(
        error("self.priority == 1"),
        "a filter names the resource's fields without `self`: write `priority`, not \
         `self.priority` (a value of the surrounding code is pinned: `^self.priority`)"
    );
    assert_eq!(
        error("a == None"),
        "`None` is not a value in a filter (Ash's `nil`): test for it with `is_nil(x)` or \
         `not is_nil(x)`"
    );
    assert_eq!(
        error("a == ^None"),
        "a comparison with a pinned `None` matches no record (nil in gives nil out, as in \
         SQL): test for nil with `is_nil(x)`"
    );
    assert_eq!(
        error("is_null(a)"),
        "unknown function `is_null` in a filter; did you mean `is_nil`?"
    );
    assert!(
        error("count(tickets) > 2")
            .starts_with("`count(..)` is no function in a filter: declare the aggregate"),
        "{}",
        error("count(tickets) > 2")
    );
    assert_eq!(
        error("trim(a) == \"x\""),
        "unknown function `trim` in a filter; the functions are `is_nil(x)`, `exists(path, condition)`, \
         `parent(x)`, `contains`, `starts_with`, `ends_with`, `like`, `ilike`, `lower`, `upper`, `length` and `concat`"
    );
    assert_eq!(
        error("lower(a, b) == \"x\""),
        "`lower` takes one argument, found 2: write `lower(name)`"
    );
    assert_eq!(
        error("contains(a)"),
        "`contains` takes two arguments, found 1: write `contains(subject, \"urgent\")`"
    );
    assert_eq!(
        error("concat(a) == \"x\""),
        "`concat` takes two or more arguments, found 1: write `concat(first_name, \" \", last_name)`"
    );
    assert_eq!(
        error("startswith(a, \"x\")").split(';').nth(1),
        Some(" did you mean `starts_with`?")
    );
    assert!(error("like(a \"x\")").starts_with("expected an operator"));
    assert!(
        error("a <> b == c")
            .starts_with("`<>` is no operator here: join texts with `concat(a, b)`")
    );
    assert_eq!(
        error("a in []"),
        "`in []` matches nothing: give at least one value"
    );
    assert_eq!(
        error("a in 3"),
        "`in` needs a list: write `[1, 2, 3]`, or pin a collection with `^ids`"
    );
    assert!(error("a in [b]").starts_with("a list holds literals and pinned values"));
    assert!(error("[1] == a").starts_with("a list is only allowed on the right of `in`"));
    assert!(error("a.name() == 1").starts_with("attributes and relationships take no parentheses"));
    assert!(
        error("a == ^f(,)").contains("the arguments of a pinned call are Rust expressions"),
        "{}",
        error("a == ^f(,)")
    );
    assert!(error("a == 1 b").starts_with("expected an operator (`and`, `or`"));
    assert_eq!(
        error("a == 1 adn b == 2"),
        "unknown operator `adn`; did you mean `and`?"
    );
    assert_eq!(
        error("a == 1 OR b == 2"),
        "unknown operator `OR`; did you mean `or`?"
    );
    assert_eq!(
        error("a nin [1]"),
        "unknown operator `nin`; did you mean `in`?"
    );
    assert!(error("a == 1 between").starts_with("expected an operator (`and`, `or`"));
    assert_eq!(
        error("a == 'c'"),
        "expected a number, a string or `true`/`false`"
    );
    assert!(error("exists(a)").contains("expected `,` and a condition"));
    assert!(error("").contains("expected a filter, like `expr!(priority > 3"));
    assert_eq!(error("and a"), "expected a value before `and`");
    assert_eq!(error("a > 3 and"), "expected a condition after `and`");
    assert_eq!(error("not"), "expected a condition after `not`");
    assert_eq!(error("a >="), "expected a value after `>=`");
    assert_eq!(error("a in"), "expected a list after `in`");
    assert_eq!(error("a + 1 *"), "expected a number after `*`");
    assert_eq!(
        error("a == ,"),
        "expected a value: an attribute, a literal, a pinned `^value`, a function like `is_nil(..)` or `contains(..)`, or `( .. )`"
    );
}

#[test]
fn templates_parse_as_templates() {
    assert_eq!(
        tree("id == ^actor(id) and org == ^tenant()"),
        "((id Eq ^actor(id)) And (org Eq ^tenant()))"
    );
    // Any other call after `^` is a pinned call of a Rust function.
    assert_eq!(tree("a == ^user(x)"), "(a Eq ^(user (x)))");
}

#[test]
fn templates_are_rejected_outside_policies() {
    let e = error("organization_id == ^tenant()");
    assert!(
        e.starts_with("`^tenant()` is a template: templates only work in a policy's `expr(..)`")
    );
    assert!(error("id == ^actor(id)").contains("not in `expr!`"));
}

#[test]
fn template_syntax_errors() {
    assert_eq!(
        error("a == ^actor()"),
        "expected the name of one of the actor's fields: `^actor(id)`"
    );
    assert_eq!(error("a == ^tenant(x)"), "`^tenant()` takes no arguments");
    assert!(error("a in ^actor(ids)").starts_with("a template is one value, not a list"));
    assert!(error("a in [1, ^actor(x)]").starts_with("a template is one value, not a list"));
}

#[test]
fn policy_templates_are_read_first_and_take_their_kind() {
    let e = syn::parse::Parser::parse2(
        parse::parse_whole,
        "id == ^actor(id) and n + ^actor(level) > 1 and ^tenant() == ^actor(org)"
            .parse()
            .unwrap(),
    )
    .unwrap();
    let out = policy_closure(&e, &syn::parse_quote!(Ticket)).to_string();
    assert!(out.contains("let __ashore_t0 = __ashore_t . actor (\"id\") ?"));
    assert!(out.contains("__ashore_t . tenant ()"));
    assert!(out.contains("Dynamic :: like (& __ashore_o , __ashore_t0)"));
    assert!(
        out.contains(
            "Dynamic :: < :: ashore :: __private :: kind :: Number > :: new (__ashore_t1)"
        )
    );
    assert!(out.contains("kind :: Any > :: new (__ashore_t2)"));
    assert!(out.contains("filter_for :: < Ticket >"));
}

#[test]
fn a_filter_past_the_depth_limit_is_an_error_not_a_crash() {
    // rustc gives a proc macro a larger stack than a test thread's 2 MiB, which
    // 256 levels of the unoptimized parser need.
    std::thread::Builder::new()
        .stack_size(32 << 20)
        .spawn(deep_filters)
        .expect("a thread")
        .join()
        .expect("no panic");
}

fn deep_filters() {
    // What rustc overflowed its stack on: deep nesting and long chains, each
    // an error naming the limit once past it.
    let deep = |open: &str, close: &str, n: usize| {
        format!("{}priority > 1{}", open.repeat(n), close.repeat(n))
    };
    let limit = "nests deeper than 256 levels";
    for src in [
        deep("(", ")", 1000),
        deep("not ", "", 1000),
        deep("is_nil(", ")", 1000),
        format!("done and {}", vec!["priority > 0"; 1500].join(" and ")),
        format!("priority > 0{}", " + 1".repeat(3000)),
        format!("-{}", "-".repeat(1000)) + "priority > 0",
    ] {
        assert!(error(&src).contains(limit), "{}", &src[..40]);
    }
    // What a person writes stays well within it.
    generated(&deep("(", ")", 100));
    generated(&deep("not ", "", 100));
    generated(&vec!["priority > 0"; 200].join(" and "));
}

#[test]
fn keywords_and_turbofish_pins() {
    // A keyword names no attribute: the fix is to write it raw, as in a
    // declaration; raw names work.
    assert!(error(r#"type == "x""#).contains("write `r#type`"));
    assert!(error(r#"ticket.type == "x""#).contains("write `r#type`"));
    generated(r#"r#type == "x""#);
    // A pin with a turbofish is a Rust path like any other.
    assert!(generated("id == ^None::<Uuid>").contains("None :: < Uuid >"));
    assert!(generated("id in ^Vec::<i64>::new()").contains("Vec :: < i64 > :: new ()"));
    assert!(error("priority == ^").contains("expected a Rust value after `^`"));
}
