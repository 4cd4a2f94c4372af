// The kinds of the built-in types: a JSON document compares by `==`, `!=` and
// `in` only (`<` and sorting by it do not compile); a date, bytes and a decimal
// compare only with their own kind, and a decimal takes no arithmetic.
use ashore::prelude::*;
use ashore::rust_decimal::Decimal;
use ashore::serde_json::{Value as Json, json};

resource! {
    #[derive(Debug, Clone)]
    pub struct Setting {
        attributes {
            integer_primary_key id;
            attribute value: Json;
            attribute since: NaiveDate;
            attribute blob: Vec<u8>;
            attribute amount: Decimal;
        }
    }
}

fn main() {
    let doc = json!({"a": 1});
    let _ = Setting::query().filter(expr!(value == ^doc));
    let _ = Setting::query().filter(expr!(value < ^doc));
    let _ = Setting::query().sort(Setting::value().asc());
    let _ = Setting::query().filter(expr!(since > "2024-01-01"));
    let _ = Setting::query().filter(expr!(blob == 3));
    let _ = Setting::query().filter(expr!(amount + 1 > 2));
}
