//! Unit tests of the whole `resource!` pipeline: what is generated, and that a
//! resource with errors is still generated next to its errors.

use proc_macro2::TokenStream;

use super::resource;
use crate::tests::compile_errors;

fn expanded(src: &str) -> String {
    let tokens: TokenStream = src.parse().unwrap();
    let out = resource(tokens);
    // Whatever is generated must be valid Rust items.
    syn::parse2::<syn::File>(out.clone()).unwrap();
    out.to_string()
}

const REPRESENTATIVE: &str = r#"
    #[derive(Debug, Clone, PartialEq)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute name: String;
        }
        relationships {
            has_many tickets: Ticket;
            has_many tickets_above_threshold: Ticket { manual TicketsAboveThreshold; }
            has_many open_tickets: Ticket {
                filter status == "open";
                sort priority desc, subject;
            }
            belongs_to team: Team;
            many_to_many tags: Tag { through RepresentativeTag; }
        }
    }
"#;

/// Checks that each needle is in the haystack, ignoring whitespace (tokens print
/// `> >` or `>>` depending on their spacing).
fn assert_contains(haystack: &str, needles: &[&str]) {
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let hay = squeeze(haystack);
    for needle in needles {
        assert!(
            hay.contains(&squeeze(needle)),
            "missing:\n{needle}\nin:\n{haystack}"
        );
    }
}

#[test]
fn generates_what_expansion_rs_writes_by_hand() {
    let out = expanded(REPRESENTATIVE);
    assert_contains(
        &out,
        &[
            "# [derive (Debug , Clone , PartialEq)] pub struct Representative { pub id : :: ashore :: __private :: Uuid , pub name : String , # [doc = \" The key of the belongs_to `team`: the primary key of a `Team`.\"] pub team_id : :: core :: option :: Option < < Team as :: ashore :: __private :: PrimaryKeyOf < { :: ashore :: __private :: is_key (Representative :: __ASHORE_KEY_2) } > > :: Key > , pub tickets : :: ashore :: __private :: Loaded < :: std :: vec :: Vec < Ticket > > ,",
            "pub team : :: ashore :: __private :: Loaded < :: core :: option :: Option < Team > > ,",
            "# [doc (hidden)] const __ASHORE_KEY_2 : :: core :: marker :: PhantomData < < Team as __ashore :: Resource > :: PrimaryKey > = :: core :: marker :: PhantomData ;",
            "const _ : () = { use :: ashore :: __private as __ashore ;",
            // The templates (`__private::resource_items!`, `resource_fns!`)
            // write the rest, the `Fields` struct included, from these pieces.
            "__ashore :: resource_items ! { Representative RepresentativeFields impl schema [\"Representative\" \"representative\" 0] { identities : & [] , policies : & [] , multitenancy : __ashore :: None , stored : true , new_table : __ashore :: new_table :: < Representative > , }",
            "infos [\"tickets\" HasMany [Ticket] \"id\" [__ashore :: Some (\"representative_id\")] [] \"tickets_above_threshold\" HasMany [Ticket] \"id\" [__ashore :: None] [. with_manual ()]",
            "\"open_tickets\" HasMany [Ticket] \"id\" [__ashore :: Some (\"representative_id\")] [. with_filter (| | __ashore :: filter_for :: < Ticket > (| __ashore_f | :: ashore :: __private :: condition (:: ashore :: __private :: cmp (:: ashore :: __private :: CmpOp :: Eq , :: ashore :: __private :: field (& __ashore_f . status , & [] , \"status\") , \"open\")))) . with_sort (| | :: std :: vec ! [__ashore :: Sort :: new (\"priority\" , __ashore :: Order :: Desc) , __ashore :: Sort :: new (\"subject\" , __ashore :: Order :: Asc)])]",
            "\"team\" BelongsTo [Team] \"team_id\" [__ashore :: None] []",
            "\"tags\" ManyToMany [Tag] \"id\" [__ashore :: None] [. with_through (__ashore :: Through { resource : < RepresentativeTag as __ashore :: Resource > :: schema , source_attribute_on_join_resource : \"representative_id\" , destination_attribute_on_join_resource : \"tag_id\" , })]]",
            "columns [0 id \"id\" [:: ashore :: __private :: Uuid] Uuid ; 1 name \"name\" [String] ; 2 team_id \"team_id\" [__ashore :: Option < < Team as __ashore :: Resource > :: PrimaryKey >] ;]",
            "accessors [0 id \"id\" [:: ashore :: __private :: Uuid] [] 1 name \"name\" [String] []]",
            "relationships [0 tickets \"tickets\" [Ticket] rel_many ToMany [] 2 open_tickets \"open_tickets\" [Ticket] rel_many ToMany [] 3 team \"team\" [Team] rel_one ToOne [] 4 tags \"tags\" [Tag] rel_many ToMany []]",
            "fields [team_id [__ashore :: ForeignKey < Team >] [] tickets_above_threshold [__ashore :: ManualWithoutCondition < Ticket >] []]",
            "inherent query \" A query of every `Representative` record, to filter, sort, window and load.\" changeset \" The values of a `Representative` to create: nothing set yet.\" { # [doc = \" The key of the belongs_to `team`: the primary key of a `Team`.\"] # [inline] # [must_use] pub fn team_id () -> __ashore :: Field < Self , __ashore :: Option < < Team as __ashore :: Resource > :: PrimaryKey > > { __ashore :: new_field (\"team_id\" , 2) }",
            "impl __ashore :: Resource for Representative { __ashore :: resource_fns ! { Representative RepresentativeFields pk [:: ashore :: __private :: Uuid] key id chunks [read3 0 [0 id [:: ashore :: __private :: Uuid] 1 name [String] 2 team_id [__ashore :: Option < < Team as __ashore :: Resource > :: PrimaryKey >]]] not_loaded [tickets tickets_above_threshold open_tickets team tags] unplaced [] } }",
            "__ashore :: Rel :: < Self , Ticket , __ashore :: ToMany > :: many (& __ASHORE_SCHEMA . relationships [1] , | record , value | record . tickets_above_threshold = __ashore :: loaded (value) ,) . with_manual (__ashore :: manual :: < Self , Ticket , _ > (TicketsAboveThreshold))",
            "fn __ashore_check_2 (__ashore_f : & < Ticket as __ashore :: Resource > :: Fields) { __ashore :: attribute_key (& __ashore_f . priority) ; __ashore :: attribute_key (& __ashore_f . subject) ; }",
            "trait __AshoreKeys { fn representative_id () -> __ashore :: Absent { __ashore :: Absent } fn tag_id () -> __ashore :: Absent { __ashore :: Absent } } impl < T : ? :: core :: marker :: Sized > __AshoreKeys for T { }",
            "const _ : () = if ! __ashore :: found :: < < Ticket as __ashore :: Resource > :: Fields , _ > (< Ticket > :: representative_id) { :: core :: panic ! (\"`Ticket` has no attribute `representative_id`, the default destination attribute of has_many `tickets`; name it with `destination_attribute`\") } ;",
            "(< RepresentativeTag > :: tag_id) { :: core :: panic ! (\"`RepresentativeTag` has no attribute `tag_id`, the default destination_attribute_on_join_resource of many_to_many `tags`; name it with `destination_attribute_on_join_resource`\") } ;",
            "{ let source = < Representative > :: id ; let destination = < Ticket > :: representative_id ; __ashore :: keys_match (source , destination) ; }",
            "{ let source = < Representative > :: id ; let destination = < RepresentativeTag > :: representative_id ; __ashore :: keys_match (source , destination) ; }",
            "{ let source = < RepresentativeTag > :: tag_id ; let destination = __ashore :: primary_key :: < Tag , < Tag as __ashore :: Resource > :: PrimaryKey > ; __ashore :: keys_match (source , destination) ; }",
        ],
    );
    // Only names given in an option are checked through `Fields` (defaults by
    // the keys' item); a manual relationship has no keys; a belongs_to whose
    // foreign key `resource!` defines with the primary key's type has none to check.
    assert!(!out.contains("fn __ashore_check_0"));
    assert!(!out.contains("fn __ashore_check_1"));
    assert!(!out.contains("fn __ashore_check_3"));
    assert!(!out.contains("fn __ashore_check_join_4"));
    assert!(!out.contains("< Team > :: id"));
    assert!(!out.contains("tickets_above_threshold`"));
    assert!(!out.contains("compile_error"));
}

#[test]
fn integer_primary_keys() {
    let out = expanded("struct Team { attributes { integer_primary_key id; } }");
    assert_contains(
        &out,
        &[
            "struct Team { pub id : :: core :: primitive :: i64 , }",
            "columns [0 id \"id\" [:: core :: primitive :: i64] Integer ;]",
            "pk [:: core :: primitive :: i64] key id",
            "infos [] columns [",
        ],
    );
}

#[test]
fn a_resource_with_errors_is_still_generated() {
    let out = expanded(
        "pub struct T { attributes { attribute a: i64; attribute a: String; } relationships { has_many a: T; has_man b: T; } }",
    );
    assert_contains(
        &out,
        &[
            "pub struct T { pub a : i64 , }",
            "impl __ashore :: Resource for T { __ashore :: resource_fns ! { T TFields pk [__ashore :: Uuid] none { :: core :: unreachable ! () }",
            ":: core :: compile_error ! { \"`T` has no primary key",
            ":: core :: compile_error ! { \"the attribute `a` is declared twice",
            ":: core :: compile_error ! { \"`a` is already an attribute",
            ":: core :: compile_error ! { \"unknown relationship kind `has_man`; did you mean `has_many`?\" }",
        ],
    );
}

#[test]
fn structure_errors_abort() {
    let tokens: TokenStream = "struct T<X> {}".parse().unwrap();
    let out = resource(tokens);
    assert_eq!(
        compile_errors(&out),
        ["a resource cannot have generic parameters"]
    );
}
