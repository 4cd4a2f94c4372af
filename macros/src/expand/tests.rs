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
            "# [doc (hidden)] const __ASHORE_KEY_2 : :: core :: marker :: PhantomData < < Team as :: ashore :: __private :: Resource > :: PrimaryKey > = :: core :: marker :: PhantomData ;",
            "# [doc (hidden)] pub struct RepresentativeFields { path : :: ashore :: __private :: Path , }",
            "const _ : () = {",
            "static __ASHORE_ATTRIBUTES : [:: ashore :: __private :: AttributeInfo ; 3] = [",
            "value_type : < String as :: ashore :: __private :: Scalar > :: TYPE",
            "generated : :: core :: option :: Option :: Some (:: ashore :: __private :: Generated :: Uuid)",
            "static __ASHORE_RELATIONSHIPS : [:: ashore :: __private :: RelationshipInfo ; 5]",
            "source_attribute : \"id\" , destination_attribute : :: core :: option :: Option :: Some (\"representative_id\")",
            "name : \"tickets_above_threshold\" , kind : :: ashore :: __private :: RelationshipKind :: HasMany , manual : true , no_attributes : false , destination : < Ticket as :: ashore :: __private :: Resource > :: schema , source_attribute : \"id\" , destination_attribute : :: core :: option :: Option :: None",
            "filter : :: core :: option :: Option :: Some (| | :: ashore :: __private :: filter_for :: < Ticket > (| __ashore_f | :: ashore :: __private :: condition (:: ashore :: __private :: cmp (:: ashore :: __private :: CmpOp :: Eq , __ashore_f . status () , \"open\")))) ,",
            "sort : | | :: std :: vec ! [:: ashore :: __private :: Sort :: new (\"priority\" , :: ashore :: __private :: Order :: Desc) , :: ashore :: __private :: Sort :: new (\"subject\" , :: ashore :: __private :: Order :: Asc)]",
            "source_attribute : \"team_id\" , destination_attribute : :: core :: option :: Option :: None",
            "through : :: core :: option :: Option :: Some (:: ashore :: __private :: Through { resource : < RepresentativeTag as :: ashore :: __private :: Resource > :: schema , source_attribute_on_join_resource : \"representative_id\" , destination_attribute_on_join_resource : \"tag_id\" , })",
            "static __ASHORE_SCHEMA : :: ashore :: __private :: Schema = :: ashore :: __private :: Schema { name : \"Representative\" , table : \"representative\" , attributes : & __ASHORE_ATTRIBUTES , primary_key : 0 , relationships : & __ASHORE_RELATIONSHIPS , identities : & __ASHORE_IDENTITIES , policies : & __ASHORE_POLICIES , multitenancy : :: core :: option :: Option :: None , stored : true , new_table : :: ashore :: __private :: new_table :: < Representative > , } ;",
            "pub fn tickets (& self) -> < Ticket as :: ashore :: __private :: Resource > :: Fields { :: ashore :: __private :: fields_at (:: ashore :: __private :: child (& self . path , \"tickets\")) }",
            "impl :: ashore :: __private :: Resource for Representative { type PrimaryKey = :: ashore :: __private :: Uuid ; type Fields = RepresentativeFields ;",
            "2 => < :: core :: option :: Option < < Team as :: ashore :: __private :: Resource > :: PrimaryKey > as :: ashore :: __private :: Scalar > :: into_value (:: core :: clone :: Clone :: clone (& self . team_id)) ,",
            "name : :: ashore :: __private :: checked (< String as :: ashore :: __private :: Scalar > :: read_column (reader , 1) , & __ASHORE_SCHEMA , 1) ? ,",
            "tickets : :: ashore :: __private :: Loaded :: NotLoaded ,",
            "# [inline] pub fn name () -> :: ashore :: __private :: Field < Self , String > { const { :: ashore :: __private :: Field :: new (\"name\" , 1) } }",
            "pub fn tickets () -> :: ashore :: __private :: Rel < Self , Ticket , :: ashore :: __private :: ToMany > { :: ashore :: __private :: Rel :: < Self , Ticket , :: ashore :: __private :: ToMany > :: many (& __ASHORE_RELATIONSHIPS [0] , | record , value | { record . tickets = :: ashore :: __private :: Loaded :: new (value) } ,) }",
            ":: ashore :: __private :: Rel :: < Self , Ticket , :: ashore :: __private :: ToMany > :: many (& __ASHORE_RELATIONSHIPS [1] , | record , value | { record . tickets_above_threshold = :: ashore :: __private :: Loaded :: new (value) } ,) . with_manual (:: ashore :: __private :: manual :: < Self , Ticket , _ > (TicketsAboveThreshold))",
            ":: ashore :: __private :: Rel :: < Self , Team , :: ashore :: __private :: ToOne > :: one (& __ASHORE_RELATIONSHIPS [3]",
            "fn __ashore_check_2 (__ashore_f : & < Ticket as :: ashore :: __private :: Resource > :: Fields) { :: ashore :: __private :: attribute_key (__ashore_f . priority ()) ; :: ashore :: __private :: attribute_key (__ashore_f . subject ()) ; }",
            "trait __AshoreKeys { fn representative_id () -> :: ashore :: __private :: Absent { :: ashore :: __private :: Absent } fn tag_id () -> :: ashore :: __private :: Absent { :: ashore :: __private :: Absent } } impl < T : ? :: core :: marker :: Sized > __AshoreKeys for T { }",
            "const _ : () = if ! :: ashore :: __private :: found :: < < Ticket as :: ashore :: __private :: Resource > :: Fields , _ > (< Ticket > :: representative_id) { :: core :: panic ! (\"`Ticket` has no attribute `representative_id`, the default destination attribute of has_many `tickets`; name it with `destination_attribute`\") } ;",
            "(< RepresentativeTag > :: tag_id) { :: core :: panic ! (\"`RepresentativeTag` has no attribute `tag_id`, the default destination_attribute_on_join_resource of many_to_many `tags`; name it with `destination_attribute_on_join_resource`\") } ;",
            "{ let source = < Representative > :: id ; let destination = < Ticket > :: representative_id ; :: ashore :: __private :: keys_match (source , destination) ; }",
            "{ let source = < Representative > :: id ; let destination = < RepresentativeTag > :: representative_id ; :: ashore :: __private :: keys_match (source , destination) ; }",
            "{ let source = < RepresentativeTag > :: tag_id ; let destination = :: ashore :: __private :: primary_key :: < Tag , < Tag as :: ashore :: __private :: Resource > :: PrimaryKey > ; :: ashore :: __private :: keys_match (source , destination) ; }",
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
            "Some (:: ashore :: __private :: Generated :: Integer)",
            "type PrimaryKey = :: core :: primitive :: i64 ;",
            "static __ASHORE_RELATIONSHIPS : [:: ashore :: __private :: RelationshipInfo ; 0] = [] ;",
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
            "impl :: ashore :: __private :: Resource for T { type PrimaryKey = :: ashore :: __private :: Uuid ;",
            "fn primary_key (& self) -> :: ashore :: __private :: Uuid { :: core :: unreachable ! () }",
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
