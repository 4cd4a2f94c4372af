// A loaded value is `Send + Sync` whatever its type says (that is what stops
// the compiler's proof at a relationship field), so only values that are
// `Send + Sync` and `'static` may be put in, and `Clone` (a `Loaded` clones
// through the function its constructor stored): an `Rc` (neither), a `Cell`
// (not `Sync`), a borrow of a local and a type that is not `Clone` do not
// compile.
use std::cell::Cell;
use std::rc::Rc;

use ashore::prelude::*;

struct NotClone;

fn main() {
    let _ = Loaded::new(Some(Rc::new(1)));
    let _ = Loaded::new(vec![Cell::new(1)]);
    let local = 1;
    let _ = Loaded::new(Some(&local));
    let _ = Loaded::new(vec![NotClone]);
}
