//! Token streams for the no-panic properties: a tree of tokens that is easy to
//! mutate, proptest strategies for random trees and for mutations of a valid
//! input (deleting, duplicating, swapping, replacing, truncating, inserting,
//! regrouping), and the pieces they draw from (the DSL's and Rust's keywords,
//! raw idents, every kind of punctuation and literal, groups of every delimiter,
//! including the invisible ones `macro_rules!` wraps `$t:ty` fragments in).

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use proptest::prelude::*;

/// A token stream as a tree: leaves are idents, puncts and literals.
#[derive(Clone, Debug)]
pub enum Node {
    Leaf(TokenTree),
    Group(Delimiter, Vec<Node>),
}

/// `tokens` as a tree. Groups keep their delimiter; spans are kept on leaves.
pub fn tree(tokens: TokenStream) -> Vec<Node> {
    tokens
        .into_iter()
        .map(|tt| match tt {
            TokenTree::Group(g) => Node::Group(g.delimiter(), tree(g.stream())),
            leaf => Node::Leaf(leaf),
        })
        .collect()
}

/// The tree back as tokens.
pub fn stream(nodes: &[Node]) -> TokenStream {
    nodes
        .iter()
        .map(|node| match node {
            Node::Leaf(tt) => tt.clone(),
            Node::Group(delimiter, inner) => {
                TokenTree::Group(Group::new(*delimiter, stream(inner)))
            }
        })
        .collect()
}

/// Words put where a word (or anything) was: the DSL's keywords, the filter
/// language's, Rust's (strict and reserved), names of the Helpdesk, and near
/// misses of keywords.
const WORDS: &[&str] = &[
    "attributes",
    "relationships",
    "table",
    "uuid_primary_key",
    "integer_primary_key",
    "attribute",
    "belongs_to",
    "has_one",
    "has_many",
    "many_to_many",
    "source_attribute",
    "destination_attribute",
    "filter",
    "sort",
    "manual",
    "through",
    "source_attribute_on_join_resource",
    "destination_attribute_on_join_resource",
    "asc",
    "desc",
    "asc_nils_first",
    "desc_nils_last",
    "and",
    "or",
    "not",
    "in",
    "is_nil",
    "exists",
    "nil",
    "true",
    "false",
    "struct",
    "enum",
    "union",
    "pub",
    "crate",
    "self",
    "Self",
    "super",
    "fn",
    "impl",
    "dyn",
    "for",
    "where",
    "as",
    "mut",
    "ref",
    "async",
    "await",
    "move",
    "let",
    "const",
    "static",
    "type",
    "use",
    "mod",
    "macro_rules",
    "_",
    "id",
    "name",
    "query",
    "get",
    "schema",
    "Ticket",
    "Tag",
    "Option",
    "Vec",
    "String",
    "i64",
    "Uuid",
    "DateTime",
    "representative_id",
    "priority",
    "atribute",
    "has_man",
    "dsc",
    "sorting",
    "ñame",
    "Ärger",
    "__ashore_f",
    "x",
];

/// Raw idents (`r#type`): keywords usable as names.
const RAW: &[&str] = &["type", "filter", "match", "struct", "in", "and", "r#", "id"];

/// Single and joint punctuation, as a source string of puncts (`'` makes a
/// lifetime with the next word).
const PUNCTS: &[&str] = &[
    ";", ",", ":", "::", ".", "..", "...", "..=", "=", "==", "!=", "!", "<", "<=", ">", ">=", "->",
    "=>", "+", "-", "*", "/", "%", "^", "&", "&&", "|", "||", "#", "$", "?", "@", "~", "'", "+=",
    "-=", "<<", ">>",
];

/// Literals of every kind, as source: suffixed, huge, negative (a single token,
/// as `macro_rules!` can pass), raw and byte strings, chars, C strings.
const LITERALS: &[&str] = &[
    "0",
    "3",
    "-1",
    "-2.5",
    "1u8",
    "2.5f32",
    "1e3",
    "0x1F",
    "1_000",
    "340282366920938463463374607431768211456",
    "\"open\"",
    "\"\"",
    "r\"raw\"",
    "r#\"raw\"#",
    "b\"bytes\"",
    "'c'",
    "b'c'",
    "c\"c\"",
    "1.0e-7_f64",
    "'\\u{1F600}'",
];

/// One leaf token: a word, a raw word, a punctuation (several puncts for `::`) or
/// a literal.
pub fn leaf() -> impl Strategy<Value = Vec<Node>> {
    prop_oneof![
        4 => prop::sample::select(WORDS).prop_map(|w| vec![Node::Leaf(word(w))]),
        1 => prop::sample::select(RAW).prop_map(|w| vec![Node::Leaf(
            match w {
                "r#" => TokenTree::Ident(Ident::new("r", Span::call_site())),
                w => TokenTree::Ident(Ident::new_raw(w, Span::call_site())),
            }
        )]),
        3 => prop::sample::select(PUNCTS).prop_map(puncts),
        2 => prop::sample::select(LITERALS).prop_map(|l| {
            let lit: Literal = l.parse().expect("the literal table is valid");
            vec![Node::Leaf(TokenTree::Literal(lit))]
        }),
    ]
}

/// An ident token (`_` included: it is an ident to `proc_macro2`).
fn word(w: &str) -> TokenTree {
    TokenTree::Ident(Ident::new(w, Span::call_site()))
}

/// `::` -> two puncts, the first joint.
fn puncts(p: &str) -> Vec<Node> {
    let chars: Vec<char> = p.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let spacing = if i + 1 < chars.len() || c == '\'' {
                Spacing::Joint
            } else {
                Spacing::Alone
            };
            Node::Leaf(TokenTree::Punct(Punct::new(c, spacing)))
        })
        .collect()
}

fn delimiter() -> impl Strategy<Value = Delimiter> {
    prop::sample::select(
        &[
            Delimiter::Brace,
            Delimiter::Parenthesis,
            Delimiter::Bracket,
            Delimiter::None,
        ][..],
    )
}

/// A random token tree: leaves, and groups of any delimiter nested a few deep.
pub fn random_stream() -> impl Strategy<Value = Vec<Node>> {
    let leaves = prop::collection::vec(leaf(), 0..6).prop_map(|v| v.concat());
    leaves
        .prop_recursive(3, 48, 6, |inner| {
            prop::collection::vec(
                prop_oneof![
                    2 => leaf(),
                    1 => (delimiter(), inner).prop_map(|(d, nodes)| vec![Node::Group(d, nodes)]),
                ],
                0..8,
            )
            .prop_map(|v| v.concat())
        })
        .boxed()
}

/// One change to a token tree. Positions index the nodes in pre-order (taken
/// modulo their number), so any position is valid and shrinking moves to the
/// front.
#[derive(Clone, Debug)]
pub enum Mutation {
    Delete(usize),
    Duplicate(usize),
    /// Exchanges two nodes of the same sequence (the second position is an
    /// offset within it).
    Swap(usize, usize),
    /// Replaces a node by a leaf.
    Replace(usize, Vec<Node>),
    /// Cuts the sequence holding the node from it to its end.
    Truncate(usize),
    Insert(usize, Vec<Node>),
    /// Puts the node in a group of the delimiter (an invisible group is what
    /// `macro_rules!` passes for `$x:ty` or `$x:expr`).
    Wrap(usize, Delimiter),
    /// Replaces a group by its content (a leaf stays).
    Unwrap(usize),
    /// Gives a group another delimiter.
    Redelimit(usize, Delimiter),
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    let pos = any::<prop::sample::Index>().prop_map(|i| i.index(1 << 16));
    let insert = prop_oneof![
        3 => leaf(),
        1 => (delimiter(), random_stream()).prop_map(|(d, nodes)| vec![Node::Group(d, nodes)]),
    ];
    prop_oneof![
        3 => pos.clone().prop_map(Mutation::Delete),
        2 => pos.clone().prop_map(Mutation::Duplicate),
        2 => (pos.clone(), 1..8usize).prop_map(|(a, b)| Mutation::Swap(a, b)),
        3 => (pos.clone(), leaf()).prop_map(|(p, l)| Mutation::Replace(p, l)),
        1 => pos.clone().prop_map(Mutation::Truncate),
        3 => (pos.clone(), insert).prop_map(|(p, l)| Mutation::Insert(p, l)),
        1 => (pos.clone(), delimiter()).prop_map(|(p, d)| Mutation::Wrap(p, d)),
        1 => pos.clone().prop_map(Mutation::Unwrap),
        1 => (pos, delimiter()).prop_map(|(p, d)| Mutation::Redelimit(p, d)),
    ]
}

/// The number of nodes, groups and leaves, at every depth.
fn count(nodes: &[Node]) -> usize {
    nodes
        .iter()
        .map(|n| match n {
            Node::Leaf(_) => 1,
            Node::Group(_, inner) => 1 + count(inner),
        })
        .sum()
}

/// Applies `m` to `nodes`.
pub fn apply(nodes: &mut Vec<Node>, m: &Mutation) {
    let total = count(nodes);
    if total == 0 {
        if let Mutation::Insert(_, new) | Mutation::Replace(_, new) = m {
            nodes.extend(new.iter().cloned());
        }
        return;
    }
    let at = match m {
        Mutation::Delete(p)
        | Mutation::Duplicate(p)
        | Mutation::Swap(p, _)
        | Mutation::Replace(p, _)
        | Mutation::Truncate(p)
        | Mutation::Insert(p, _)
        | Mutation::Wrap(p, _)
        | Mutation::Unwrap(p)
        | Mutation::Redelimit(p, _) => p % total,
    };
    let mut remaining = at;
    edit(nodes, &mut remaining, m);
}

/// Finds the node `remaining` steps into `nodes` (pre-order) and changes it in
/// the sequence that holds it. Returns whether it was found.
fn edit(nodes: &mut Vec<Node>, remaining: &mut usize, m: &Mutation) -> bool {
    for i in 0..nodes.len() {
        if *remaining == 0 {
            change(nodes, i, m);
            return true;
        }
        *remaining -= 1;
        if let Node::Group(_, inner) = &mut nodes[i]
            && edit(inner, remaining, m)
        {
            return true;
        }
    }
    false
}

fn change(nodes: &mut Vec<Node>, i: usize, m: &Mutation) {
    match m {
        Mutation::Delete(_) => {
            nodes.remove(i);
        }
        Mutation::Duplicate(_) => nodes.insert(i, nodes[i].clone()),
        Mutation::Swap(_, offset) => {
            let j = (i + offset) % nodes.len();
            nodes.swap(i, j);
        }
        Mutation::Replace(_, new) => {
            nodes.splice(i..=i, new.iter().cloned());
        }
        Mutation::Truncate(_) => nodes.truncate(i),
        Mutation::Insert(_, new) => {
            nodes.splice(i..i, new.iter().cloned());
        }
        Mutation::Wrap(_, delimiter) => {
            let node = nodes[i].clone();
            nodes[i] = Node::Group(*delimiter, vec![node]);
        }
        Mutation::Unwrap(_) => {
            if let Node::Group(_, inner) = nodes[i].clone() {
                nodes.splice(i..=i, inner);
            }
        }
        Mutation::Redelimit(_, new) => {
            if let Node::Group(delimiter, _) = &mut nodes[i] {
                *delimiter = *new;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(src: &str, m: Mutation) -> String {
        let mut nodes = tree(src.parse().unwrap());
        apply(&mut nodes, &m);
        stream(&nodes).to_string()
    }

    #[test]
    fn mutations_reach_every_depth() {
        let src = "a { b c } d";
        // Pre-order: a, { }, b, c, d.
        assert_eq!(applied(src, Mutation::Delete(0)), "{ b c } d");
        assert_eq!(applied(src, Mutation::Delete(3)), "a { b } d");
        assert_eq!(applied(src, Mutation::Delete(8)), "a { b } d");
        assert_eq!(applied(src, Mutation::Duplicate(2)), "a { b b c } d");
        assert_eq!(applied(src, Mutation::Swap(2, 1)), "a { c b } d");
        assert_eq!(applied(src, Mutation::Truncate(1)), "a");
        assert_eq!(applied(src, Mutation::Unwrap(1)), "a b c d");
        assert_eq!(
            applied(src, Mutation::Redelimit(1, Delimiter::Bracket)),
            "a [b c] d"
        );
        assert_eq!(
            applied(src, Mutation::Wrap(4, Delimiter::Parenthesis)),
            "a { b c } (d)"
        );
        assert_eq!(
            applied(src, Mutation::Insert(3, puncts("::"))),
            "a { b :: c } d"
        );
        assert_eq!(
            applied(src, Mutation::Replace(0, vec![Node::Leaf(word("x"))])),
            "x { b c } d"
        );
    }

    #[test]
    fn every_piece_is_a_valid_token() {
        // The tables are turned into tokens inside the strategies; a bad entry
        // would panic there, outside the code under test.
        for w in WORDS {
            word(w);
        }
        for l in LITERALS {
            l.parse::<Literal>().unwrap();
        }
        for p in PUNCTS {
            puncts(p);
        }
    }
}
