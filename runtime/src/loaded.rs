//! `Loaded<T>`, the state of a relationship field on a record: not loaded until
//! a query or `Domain::load` loads it, and an error (never a panic) to read
//! before that.

use crate::error::{Error, ErrorKind, Result};

/// A relationship field: not loaded until a query or `Domain::load` loads it.
///
/// has_one and belongs_to hold `Loaded<Option<T>>`; has_many and many_to_many hold
/// `Loaded<Vec<T>>`. Reading an unloaded relationship is an error, never a panic.
///
/// The value is boxed, so two resources may hold each other through to-one
/// relationships (a has_one and the belongs_to back) without an infinitely sized
/// struct.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/helpdesk.rs"));
/// # helpdesk!();
/// # #[tokio::main] async fn main() -> ashore::Result<()> {
/// # let support = support().await?;
/// let reps = support
///     .read(Representative::query().filter(expr!(name == "Alice")))
///     .await?;
/// let err = reps[0].tickets.get().unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::NotLoaded));
///
/// let reps = support
///     .read(
///         Representative::query()
///             .filter(expr!(name == "Alice"))
///             .load(Representative::tickets()),
///     )
///     .await?;
/// assert_eq!(reps[0].tickets.get()?.len(), 3);
///
/// // A to-one relationship with no record is loaded as `None`.
/// let badge = support
///     .read(
///         Ticket::query()
///             .filter(expr!(subject == "Lost badge"))
///             .load(Ticket::representative()),
///     )
///     .await?;
/// assert_eq!(badge[0].representative, Loaded::new(None));
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Loaded<T> {
    /// Not loaded (the state of every relationship of a freshly read record).
    #[default]
    NotLoaded,
    /// Loaded.
    Loaded(Box<T>),
}

impl<T> Loaded<T> {
    /// A loaded value.
    pub fn new(value: T) -> Self {
        Loaded::Loaded(Box::new(value))
    }

    /// The loaded value, or an [`ErrorKind::NotLoaded`] error if it was not loaded.
    pub fn get(&self) -> Result<&T> {
        match self {
            Loaded::Loaded(v) => Ok(v),
            Loaded::NotLoaded => Err(Error::new(ErrorKind::NotLoaded)),
        }
    }

    /// The loaded value, mutably, or an [`ErrorKind::NotLoaded`] error.
    pub fn get_mut(&mut self) -> Result<&mut T> {
        match self {
            Loaded::Loaded(v) => Ok(v),
            Loaded::NotLoaded => Err(Error::new(ErrorKind::NotLoaded)),
        }
    }

    /// The loaded value, by value, or an [`ErrorKind::NotLoaded`] error.
    pub fn into_inner(self) -> Result<T> {
        match self {
            Loaded::Loaded(v) => Ok(*v),
            Loaded::NotLoaded => Err(Error::new(ErrorKind::NotLoaded)),
        }
    }

    /// Whether it was loaded.
    pub fn is_loaded(&self) -> bool {
        matches!(self, Loaded::Loaded(_))
    }

    /// The loaded value, if any.
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Loaded::Loaded(v) => Some(v),
            Loaded::NotLoaded => None,
        }
    }
}
