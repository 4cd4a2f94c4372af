use ashore::prelude::*;

resource! {
    /// Made by a manual loader only: it has no table to name.
    #[derive(Debug, Clone)]
    pub struct Forecast {
        not_stored;
        table "forecasts";
        attributes {
            integer_primary_key id;
        }
    }
}

fn main() {}
