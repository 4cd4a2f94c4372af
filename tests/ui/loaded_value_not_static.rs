// A loaded value is `Send + Sync` whatever its type says, so its type must be
// the very one its constructor checked: `'static`, no borrow of a local.
use ashore::prelude::*;

fn main() {
    let local = 1;
    let loaded = Loaded::new(Some(&local));
    drop(loaded);
}
