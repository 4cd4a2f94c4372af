//! The engine: where a request is executed, read top to bottom.
//!
//! - [`values`]: values no layer treats alike (NaN, NUL in text), refused in
//!   creates and filters.
//! - [`spans`]: how many statements a read or load ran, on its span.
//! - [`authorize`]: the tenant and read policies as the conditions a read puts
//!   on every resource it reaches; a manual loader's results checked against them;
//!   the policies governing writes (`authorize::writes`).
//! - [`load`]: one relationship loaded onto a batch of records with one
//!   data-layer read (or one manual `load` call), windows per parent, nested loads.
//! - [`read`]: a query read, then its loads run.
//! - [`mod@write`]: changesets turned into rows, their keys into multitenant
//!   resources checked against the tenant, checked against the create policies
//!   and created (or upserted); updates and destroys of what a query selects
//!   within what the scope may write; relationship writes (join records,
//!   foreign keys) made of them.
//!
//! Each module uses only those listed above it. The verbs (`crate::verbs`) call
//! in; the data layers are called out to through `DataLayer`.

pub(crate) mod authorize;
pub(crate) mod load;
pub(crate) mod read;
pub(crate) mod spans;
pub(crate) mod values;
pub(crate) mod write;
