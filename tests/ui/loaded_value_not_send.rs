// A loaded value is `Send + Sync` whatever its type says (that is what stops
// the compiler's proof at a relationship field), so only values that are
// `Send + Sync` and `'static` may be put in: an `Rc` (neither), a `Cell`
// (not `Sync`) and a borrow of a local do not compile.
use std::cell::Cell;
use std::rc::Rc;

use ashore::prelude::*;

fn main() {
    let _ = Loaded::new(Some(Rc::new(1)));
    let _ = Loaded::new(vec![Cell::new(1)]);
    let local = 1;
    let _ = Loaded::new(Some(&local));
}
