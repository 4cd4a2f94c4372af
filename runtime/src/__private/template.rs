//! The repetitive part of a resource's generated code, as a `macro_rules!`
//! template: `resource!` and `#[derive(Resource)]` parse and validate, then emit
//! one compact call of `__private::resource_items!` (and two smaller ones)
//! (inside their `const _` block, where `__ashore` names this module) and the
//! compiler expands it. A proc macro runs unoptimized in a debug build and hands
//! every token it makes across to the compiler one by one; a template's tokens
//! are copied inside the compiler (`benches/compile_time/`, the thirteenth
//! session). Only the tokens that say something of their own cross the bridge:
//! names, name literals, indexes, types, docs, and whatever is spanned on a
//! user's token so that rustc reports there (the caller builds those and passes
//! them through as token trees, which keep their spans).
//!
//! The template builds values with `__private`'s free functions (`new_field`,
//! `loaded`, ..) rather than associated functions (`Field::new`), which rustc
//! resolves in two steps on every build (`__private::constructors`).
//!
//! Locals of the template (`self`, `path`, `reader`, `visitor`, `index`) are the
//! template's (mixed-site); every other name resolves where the call is, as the
//! proc macro's own tokens did.
//!
//! Two templates: `resource_items!` (the schema static, the resource's `Fields`
//! struct and its `Fields` impl, the inherent accessors of the resource), and,
//! inside the caller's `impl Resource for X { .. }`, `resource_fns!`. The
//! caller writes that impl's head and braces: rustc shows an impl's span where
//! it lists the types that implement a trait or reports a missing supertrait
//! (`Clone`), and a span that ends on a template's token is the whole macro
//! call instead. (The `Fields` impl's `impl` keyword and self type are the
//! caller's tokens, on the struct's name: rustc shows that span where it lists
//! the types that implement `Fields`.)
//!
//! The `Fields` struct is zero-sized, one `pub` field per attribute
//! (`Attr<type>`, from `accessors`), relationship (`Relationship<destination>`)
//! and whatever else the caller lists (foreign keys, manual relationships,
//! aggregates): no method, so no function body per name for rustc to check
//! (`__private::fields`). It is declared here, inside the `const _` block, and
//! named only as `<X as Resource>::Fields`. No field's type names a
//! projection: rustc reports a field type that is not well formed on the span
//! of the whole type, here the whole macro call.
//!
//! The input of `resource_items!`, in order (each a fixed keyword, then its
//! pieces): the resource, its `Fields` struct and an `impl` keyword;
//! `schema [name table primary_key_index] { the Schema's fields after relationships }`;
//! `infos [ "name" Kind [destination] "source" [Some("destination") or None]
//! [options] .. ]`, one per relationship, in order;
//! `columns [ index name "name" [type] Generated? ; .. ]`;
//! `accessors [ index name "name" [type] [docs] .. ]`,
//! the columns whose `Field<Self, type>` accessor and `Attr` field the
//! template writes (not a
//! belongs_to's key, whose type projects from the destination: the caller
//! writes that accessor among the inherent items, with the user's span on the
//! whole return type: rustc reports a return type that is not well formed
//! there); `relationships [ index name "name" [destination]
//! rel_one|rel_many ToOne|ToMany [docs] .. ]`, those without a manual loader, whose
//! `Fields` field and `Rel` constructor the template writes (the caller writes
//! the constructor of a manual one); `fields [ name [field type] [docs] .. ]`,
//! the other fields of the `Fields` struct, each a zero-sized marker;
//! `inherent (query "doc")? (changeset "doc")? { more inherent items }`.
//! That of `resource_fns!`: the resource and its `Fields` struct;
//! `pk [type] key field` (or `pk [type] none { body }` after an error);
//! `chunks [ readN start [ index name [type] .. ] .. ]`, the columns in
//! chunks of up to 16 (`__private::columns`), each with its function and the
//! index of its first column;
//! `not_loaded [ relationship and aggregate fields ]`; `unplaced [ field: value, .. ]`.

/// Expands a resource's schema static, its `Fields` struct and impl, and its
/// inherent accessors (see the module comment). Generated code only.
#[doc(hidden)]
#[macro_export]
macro_rules! __ashore_resource_items {
    (
        $ident:ident $fields:ident $impl_fields:tt
        schema [$name:literal $table:literal $pk_index:literal] { $($schema:tt)* }
        infos [$(
            $i_lit:literal $i_kind:ident [$($i_dest:tt)*] $i_source:literal [$($i_destination:tt)*]
            [$($i_options:tt)*]
        )*]
        columns [$(
            $index:literal $column:ident $lit:literal [$($ty:tt)*] $($generated:ident)? ;
        )*]
        accessors [$($a_index:literal $a_column:ident $a_lit:literal [$($a_ty:tt)*] [$($a_docs:tt)*])*]
        relationships [$(
            $r_index:literal $r_name:ident $r_lit:literal [$($r_dest:tt)*] $r_new:ident $r_card:ident [$($r_docs:tt)*]
        )*]
        fields [$($f_name:ident [$($f_ty:tt)*] [$($f_docs:tt)*])*]
        inherent $(query $query_doc:literal)? $(changeset $changeset_doc:literal)? { $($more:tt)* }
    ) => {
        static __ASHORE_SCHEMA: __ashore::Schema = __ashore::Schema {
            name: $name,
            table: $table,
            attributes: &[$(
                __ashore::attribute_info($lit, <$($ty)* as __ashore::Scalar>::COLUMN)
                    $(.with_generated(__ashore::Generated::$generated))?
            ),*],
            primary_key: $pk_index,
            relationships: &[$(
                __ashore::relationship_info(
                    $i_lit,
                    __ashore::RelationshipKind::$i_kind,
                    <$($i_dest)* as __ashore::Resource>::schema,
                    $i_source,
                    $($i_destination)*,
                )
                $($i_options)*
            ),*],
            $($schema)*
        };
        // Named only through `<X as Resource>::Fields`; a pub resource may
        // relate to a private one.
        #[doc(hidden)]
        #[allow(dead_code, private_interfaces)]
        pub struct $fields {
            $(
                $($a_docs)*
                pub $a_column: __ashore::Attr<$($a_ty)*>,
            )*
            $(
                $($r_docs)*
                pub $r_name: __ashore::Relationship<$($r_dest)*>,
            )*
            $(
                $($f_docs)*
                pub $f_name: $($f_ty)*,
            )*
        }
        // `VALUE` is the trait's default: the struct holds only zero-sized markers.
        #[diagnostic::do_not_recommend]
        $impl_fields __ashore::Fields for $fields {}
        // The accessors mirror the fields: a pub resource may relate to a private one.
        // Named as the user named the fields (the struct's own lint says so once).
        #[allow(dead_code, private_interfaces, non_snake_case)]
        impl $ident {
            $(
                #[doc = $query_doc]
                #[inline]
                pub fn query() -> __ashore::Query<Self> {
                    __ashore::new_query()
                }
            )?
            $(
                #[doc = $changeset_doc]
                #[inline]
                pub fn changeset() -> __ashore::Changeset<Self> {
                    __ashore::new_changeset()
                }
            )?
            $(
                $($a_docs)*
                #[inline]
                pub fn $a_column() -> __ashore::Field<Self, $($a_ty)*> {
                    __ashore::new_field($a_lit, $a_index)
                }
            )*
            $(
                $($r_docs)*
                #[inline]
                pub fn $r_name() -> __ashore::Rel<Self, $($r_dest)*, __ashore::$r_card> {
                    __ashore::$r_new(
                        &__ASHORE_SCHEMA.relationships[$r_index],
                        |record, value| record.$r_name = __ashore::loaded(value),
                    )
                }
            )*
            $($more)*
        }
    };
}

/// The items of a resource's `impl Resource` (see the module comment): the
/// caller writes the impl's head and braces, which rustc shows where it lists
/// the types that implement the trait. Generated code only.
#[doc(hidden)]
#[macro_export]
macro_rules! __ashore_resource_fns {
    (
        $ident:ident $fields:ident
        pk [$($pk_ty:tt)*] $(key $pk:ident)? $(none $no_pk:tt)?
        chunks [$(
            $read:ident $start:literal [$($index:literal $column:ident [$($ty:tt)*])*]
        )*]
        not_loaded [$($not_loaded:ident)*]
        unplaced [$($unplaced:tt)*]
    ) => {
        type PrimaryKey = $($pk_ty)*;
        type Fields = $fields;

        fn schema() -> &'static __ashore::Schema {
            &__ASHORE_SCHEMA
        }

        #[inline]
        fn visit<__V: __ashore::AttributeVisitor>(
            &self,
            index: __ashore::usize,
            visitor: __V,
        ) -> __V::Output {
            match index {
                $($($index => <$($ty)* as __ashore::Scalar>::visit(&self.$column, visitor),)*)*
                _ => visitor.missing(),
            }
        }

        #[inline]
        fn primary_key(&self) -> $($pk_ty)* {
            $(__ashore::Clone::clone(&self.$pk))?
            $($no_pk)?
        }

        #[allow(non_snake_case)]
        fn read_columns(
            reader: &mut dyn __ashore::ColumnReader,
        ) -> __ashore::Result<Self> {
            let mut errors = __ashore::read_errors(&__ASHORE_SCHEMA);
            let ($(__ashore::Some(($($column,)*)),)*) = ($(
                __ashore::$read(
                    reader,
                    &mut errors,
                    $start,
                    ($(<$($ty)* as __ashore::Scalar>::read_column,)*),
                ),
            )*) else {
                return __ashore::Err(errors.error());
            };
            __ashore::Ok($ident {
                $($($column,)*)*
                $($not_loaded: __ashore::Loaded::NotLoaded,)*
                $($unplaced)*
            })
        }
    };
}
