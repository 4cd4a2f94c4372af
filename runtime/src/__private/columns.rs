//! A record's columns read a chunk at a time: `read_columns` calls one generic
//! function per chunk of up to 16 columns (`read1` .. `read16`) where it held
//! an expression per column, and what rustc checks per resource shrinks to one
//! call (`benches/compile_time/`, the fifteenth session). Each column's reading
//! function is passed in as `<T as Scalar>::read_column`, on the type's span: a
//! type that is not a `Scalar` is then the same error as everywhere else the
//! resource names it, which rustc reports once, where a `Scalar` bound on these
//! functions would add an error of its own. (`visit` keeps its expression per
//! column: a chunk's function there cost rustc more than it saved.)

use crate::data_layer::columns::{ColumnReader, ReadErrors};
use crate::error::Result;
use crate::value::Value;

/// `Scalar::read_column` of a column of type `T`, over a reader that lives for `'r`.
pub type ReadColumn<'r, T> =
    fn(&mut (dyn ColumnReader + 'r), usize) -> Result<std::result::Result<T, Value>>;

/// A `read<n>` for each list of type parameters, with a binding and a tuple
/// index per parameter.
macro_rules! chunks {
    ($($read:ident [$($t:ident $v:ident $i:tt)*])*) => {$(
        /// The columns `at..` of a record, each read from `reader` by its
        /// function of `reads` (the first failure kept in `errors`), or
        /// `None` after a failure.
        #[inline]
        pub fn $read<'r, $($t),*>(
            reader: &mut (dyn ColumnReader + 'r),
            errors: &mut ReadErrors,
            at: usize,
            reads: ($(ReadColumn<'r, $t>,)*),
        ) -> Option<($($t,)*)> {
            let ($(Some($v),)*) = ($(errors.take((reads.$i)(reader, at + $i), at + $i),)*)
            else {
                return None;
            };
            Some(($($v,)*))
        }
    )*};
}

chunks! {
    read1 [A a 0]
    read2 [A a 0 B b 1]
    read3 [A a 0 B b 1 C c 2]
    read4 [A a 0 B b 1 C c 2 D d 3]
    read5 [A a 0 B b 1 C c 2 D d 3 E e 4]
    read6 [A a 0 B b 1 C c 2 D d 3 E e 4 F f 5]
    read7 [A a 0 B b 1 C c 2 D d 3 E e 4 F f 5 G g 6]
    read8 [A a 0 B b 1 C c 2 D d 3 E e 4 F f 5 G g 6 H h 7]
    read9 [A a 0 B b 1 C c 2 D d 3 E e 4 F f 5 G g 6 H h 7 I i 8]
    read10 [A a 0 B b 1 C c 2 D d 3 E e 4 F f 5 G g 6 H h 7 I i 8 J j 9]
    read11 [A a 0 B b 1 C c 2 D d 3 E e 4 F f 5 G g 6 H h 7 I i 8 J j 9 K k 10]
    read12 [A a 0 B b 1 C c 2 D d 3 E e 4 F f 5 G g 6 H h 7 I i 8 J j 9 K k 10 L l 11]
    read13 [A a 0 B b 1 C c 2 D d 3 E e 4 F f 5 G g 6 H h 7 I i 8 J j 9 K k 10 L l 11
        M m 12]
    read14 [A a 0 B b 1 C c 2 D d 3 E e 4 F f 5 G g 6 H h 7 I i 8 J j 9 K k 10 L l 11
        M m 12 N n 13]
    read15 [A a 0 B b 1 C c 2 D d 3 E e 4 F f 5 G g 6 H h 7 I i 8 J j 9 K k 10 L l 11
        M m 12 N n 13 O o 14]
    read16 [A a 0 B b 1 C c 2 D d 3 E e 4 F f 5 G g 6 H h 7 I i 8 J j 9 K k 10 L l 11
        M m 12 N n 13 O o 14 P p 15]
}
