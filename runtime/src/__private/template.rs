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
//! Locals of the template (`self`, `path`, `reader`, `visitor`, `index`) are the
//! template's (mixed-site); every other name resolves where the call is, as the
//! proc macro's own tokens did.
//!
//! Three templates: `resource_items!` (the schema static, the inherent
//! accessors of the resource and of its `Fields` struct), and, inside the
//! caller's `impl Resource for X { .. }` and `impl Fields for XFields { .. }`,
//! `resource_fns!` and `fields_fns!`. The caller writes those two impls' heads
//! and braces: rustc shows an impl's span where it lists the types that
//! implement a trait or reports a missing supertrait (`Clone`), and a span
//! that ends on a template's token is the whole macro call instead.
//!
//! The input of `resource_items!`, in order (each a fixed keyword, then its
//! pieces): the resource and its `Fields` struct;
//! `schema [name table primary_key_index] { the Schema's fields after relationships }`;
//! `infos [ "name" Kind [destination] "source" [Some("destination") or None]
//! [options] .. ]`, one per relationship, in order;
//! `columns [ index name "name" [type] [Term type] [docs] Generated? ; .. ]`,
//! the `TermOf<..>` of its `Fields` method built by the caller (rustc reports
//! a return type that is not well formed on the span of the whole type, which
//! must then be the user's); `accessors [ index name "name" [type] [docs] .. ]`,
//! the columns whose `Field<Self, type>` accessor the template writes (not a
//! belongs_to's key, whose type projects from the destination: the caller
//! writes that accessor among the inherent items, for the same reason);
//! `relationships [ index name "name" [destination] [its Fields type] one|many
//! ToOne|ToMany [docs] .. ]`, those without a manual loader, whose `Fields`
//! method and `Rel` constructor the template writes (the caller writes those
//! of a manual one);
//! `fields { more methods of the Fields struct }`;
//! `inherent (query "doc")? (changeset "doc")? { more inherent items }`.
//! That of `resource_fns!`: the resource and its `Fields` struct;
//! `pk [type] key field` (or `pk [type] none { body }` after an error);
//! `columns [ index name [type] .. ]`;
//! `not_loaded [ relationship and aggregate fields ]`; `unplaced [ field: value, .. ]`.

/// Expands a resource's schema static and its inherent accessors, and those
/// of its `Fields` struct (see the module comment). Generated code only.
#[doc(hidden)]
#[macro_export]
macro_rules! __ashore_resource_items {
    (
        $ident:ident $fields:ident
        schema [$name:literal $table:literal $pk_index:literal] { $($schema:tt)* }
        infos [$(
            $i_lit:literal $i_kind:ident [$($i_dest:tt)*] $i_source:literal [$($i_destination:tt)*]
            [$($i_options:tt)*]
        )*]
        columns [$(
            $index:literal $column:ident $lit:literal [$($ty:tt)*] [$($term:tt)*] [$($docs:tt)*]
            $($generated:ident)? ;
        )*]
        accessors [$($a_index:literal $a_column:ident $a_lit:literal [$($a_ty:tt)*] [$($a_docs:tt)*])*]
        relationships [$(
            $r_index:literal $r_name:ident $r_lit:literal [$($r_dest:tt)*] [$($r_fields:tt)*]
            $r_new:ident $r_card:ident [$($r_docs:tt)*]
        )*]
        fields { $($more_fields:tt)* }
        inherent $(query $query_doc:literal)? $(changeset $changeset_doc:literal)? { $($more:tt)* }
    ) => {
        static __ASHORE_SCHEMA: __ashore::Schema = __ashore::Schema {
            name: $name,
            table: $table,
            attributes: &[$(
                __ashore::AttributeInfo::new($lit, <$($ty)* as __ashore::Scalar>::COLUMN)
                    $(.with_generated(__ashore::Generated::$generated))?
            ),*],
            primary_key: $pk_index,
            relationships: &[$(
                __ashore::RelationshipInfo::new(
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
        // The accessors mirror the fields: a pub resource may relate to a private one.
        #[allow(dead_code, private_interfaces)]
        impl $fields {
            $(
                $($docs)*
                #[inline]
                pub fn $column(&self) -> $($term)* {
                    __ashore::attr(&self.path, $lit)
                }
            )*
            $(
                $($r_docs)*
                #[inline]
                pub fn $r_name(&self) -> $($r_fields)* {
                    __ashore::fields_at(__ashore::child(&self.path, $r_lit))
                }
            )*
            $($more_fields)*
        }
        // The accessors mirror the fields: a pub resource may relate to a private one.
        #[allow(dead_code, private_interfaces)]
        impl $ident {
            $(
                #[doc = $query_doc]
                #[inline]
                pub fn query() -> __ashore::Query<Self> {
                    __ashore::Query::new()
                }
            )?
            $(
                #[doc = $changeset_doc]
                #[inline]
                pub fn changeset() -> __ashore::Changeset<Self> {
                    __ashore::Changeset::new()
                }
            )?
            $(
                $($a_docs)*
                #[inline]
                pub fn $a_column() -> __ashore::Field<Self, $($a_ty)*> {
                    __ashore::Field::new($a_lit, $a_index)
                }
            )*
            $(
                $($r_docs)*
                #[inline]
                pub fn $r_name() -> __ashore::Rel<Self, $($r_dest)*, __ashore::$r_card> {
                    __ashore::Rel::$r_new(
                        &__ASHORE_SCHEMA.relationships[$r_index],
                        |record, value| record.$r_name = __ashore::Loaded::new(value),
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
        columns [$($index:literal $column:ident [$($ty:tt)*])*]
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
                $($index => <$($ty)* as __ashore::Scalar>::visit(&self.$column, visitor),)*
                _ => visitor.missing(),
            }
        }

        #[inline]
        fn primary_key(&self) -> $($pk_ty)* {
            $(__ashore::Clone::clone(&self.$pk))?
            $($no_pk)?
        }

        fn read_columns(
            reader: &mut dyn __ashore::ColumnReader,
        ) -> __ashore::Result<Self> {
            let mut errors = __ashore::ReadErrors::new(&__ASHORE_SCHEMA);
            let ($(__ashore::Some($column),)*) = ($(
                errors.take(<$($ty)* as __ashore::Scalar>::read_column(reader, $index), $index),
            )*) else {
                return __ashore::Err(errors.error());
            };
            __ashore::Ok($ident {
                $($column,)*
                $($not_loaded: __ashore::Loaded::NotLoaded,)*
                $($unplaced)*
            })
        }
    };
}

/// The items of the `Fields` impl of a resource's `Fields` struct, which holds
/// one `path` (the caller writes the impl's head and braces, as for
/// `resource_fns!`). Generated code only.
#[doc(hidden)]
#[macro_export]
macro_rules! __ashore_fields_fns {
    ($fields:ident) => {
        #[inline]
        fn at(path: __ashore::Path) -> Self {
            $fields { path }
        }
        #[inline]
        fn path(&self) -> &__ashore::Path {
            &self.path
        }
    };
}
