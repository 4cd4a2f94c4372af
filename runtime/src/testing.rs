//! Test support shared by the runtime's unit tests: hand-written resources, as
//! `resource!` would generate them, for data-layer tests that cannot use the
//! macros (the macros generate paths through the `ashore` facade).

use crate::error::{Error, ErrorKind, Result};
use crate::expr::Fields;
use crate::scalar::Scalar;
use crate::value::Value;

/// The generated `Fields` stand-in: unused by these tests beyond the trait bound.
pub(crate) struct F;

impl Fields for F {}

/// The next value of a row, as a `T`.
pub(crate) fn take<T: Scalar>(
    values: &mut impl Iterator<Item = Value>,
    resource: &'static str,
    attribute: &'static str,
) -> Result<T> {
    T::from_value(values.next().unwrap_or_default()).map_err(|found| {
        Error::new(ErrorKind::TypeMismatch {
            resource,
            attribute,
            key: None,
            expected: "another type",
            found,
        })
    })
}

/// A hand-written resource kept in table `$table`: primary key `id` of type
/// `$pk` (generated as `$generated`, an `Option<Generated>`), then `fields`, then
/// relationships `$rels` (none when left out).
macro_rules! test_resource {
    ($vis:vis $name:ident in $table:literal, id: $pk:ty = $generated:expr,
     { $($field:ident : $ty:ty),* $(,)? }) => {
        $crate::testing::test_resource!(
            $vis $name in $table, id: $pk = $generated, { $($field: $ty),* } &[]
        );
    };
    ($vis:vis $name:ident in $table:literal, id: $pk:ty = $generated:expr,
     { $($field:ident : $ty:ty),* $(,)? } $rels:expr) => {
        #[derive(Clone, Debug, PartialEq)]
        $vis struct $name {
            $vis id: $pk,
            $($vis $field: $ty),*
        }

        impl $name {
            #[allow(dead_code)]
            fn query() -> $crate::query::Query<$name> {
                $crate::query::Query::new()
            }
            #[allow(dead_code)]
            fn changeset() -> $crate::changeset::Changeset<$name> {
                $crate::changeset::Changeset::new()
            }
        }
        impl $crate::resource::Resource for $name {
            type PrimaryKey = $pk;
            type Fields = $crate::testing::F;
            fn schema() -> &'static $crate::resource::Schema {
                static SCHEMA: $crate::resource::Schema = $crate::resource::Schema {
                    name: stringify!($name),
                    table: $table,
                    attributes: &[
                        $crate::resource::AttributeInfo {
                            name: "id",
                            value_type: <$pk as $crate::scalar::Scalar>::TYPE,
                            nullable: false,
                            generated: $generated,
                        },
                        $($crate::resource::AttributeInfo {
                            name: stringify!($field),
                            value_type: <$ty as $crate::scalar::Scalar>::TYPE,
                            nullable: <$ty as $crate::scalar::Scalar>::NULLABLE,
                            generated: None,
                        }),*
                    ],
                    primary_key: 0,
                    relationships: $rels,
                    identities: &[],
                    policies: &[],
                    multitenancy: None,
                    stored: true,
                    new_table: $crate::data_layer::store::new_table::<$name>,
                };
                &SCHEMA
            }
            fn visit<V: $crate::scalar::AttributeVisitor>(&self, index: usize, visitor: V) -> V::Output {
                // The guards run in order, each taking the next index.
                let mut at = 0..;
                match index {
                    i if Some(i) == at.next() => visitor.visit(&self.id),
                    $(i if Some(i) == at.next() => visitor.visit(&self.$field),)*
                    _ => visitor.missing(),
                }
            }
            fn primary_key(&self) -> $pk {
                self.id.clone()
            }
            fn read_columns(
                reader: &mut dyn $crate::scalar::ColumnReader,
            ) -> $crate::error::Result<Self> {
                Self::from_row($crate::resource::read_row(Self::schema(), reader)?)
            }
            fn from_row(row: $crate::resource::Row) -> $crate::error::Result<Self> {
                let mut values = row.into_iter();
                let name = stringify!($name);
                Ok($name {
                    id: $crate::testing::take(&mut values, name, "id")?,
                    $($field: $crate::testing::take(&mut values, name, stringify!($field))?),*
                })
            }
        }
    };
}
pub(crate) use test_resource;

/// `rows` as one buffer of rows of the first's width (none: width 0), as the
/// engine hands rows to a layer's create; rows of another width panic.
pub(crate) fn flat(rows: Vec<crate::resource::Row>) -> crate::resource::Rows {
    let width = rows.first().map_or(0, Vec::len);
    crate::resource::Rows::from_rows(width, rows).expect("rows of one width")
}
