// A loaded value is `Send + Sync` whatever its type says (that is what stops
// the compiler's proof at a relationship field), so only values that are
// `Send + Sync` may be put in, and `Clone` (a `Loaded` clones through the
// function its constructor stored): an `Rc` (neither), a `Cell` (not `Sync`)
// and a type that is not `Clone` do not compile (`'static`: see
// `loaded_value_not_static.rs`).
use std::cell::Cell;
use std::rc::Rc;

use ashore::prelude::*;

struct NotClone;

fn main() {
    let _ = Loaded::new(Some(Rc::new(1)));
    let _ = Loaded::new(vec![Cell::new(1)]);
    let _ = Loaded::new(vec![NotClone]);
}
