// A relationship's `sort` names attributes with an order: a JSON document has
// none the data layers agree on, so it is no sort key, in either front end.
use ashore::prelude::*;
use ashore::serde_json::Value as Json;

resource! {
    #[derive(Debug, Clone)]
    pub struct Folder {
        attributes {
            integer_primary_key id;
        }
        relationships {
            has_many notes: Note {
                sort meta desc;
            }
        }
    }
}

resource! {
    #[derive(Debug, Clone)]
    pub struct Note {
        attributes {
            integer_primary_key id;
            attribute meta: Json;
        }
        relationships {
            belongs_to folder: Folder;
        }
    }
}

#[derive(Debug, Clone, Resource)]
pub struct Shelf {
    #[resource(integer_primary_key)]
    pub id: i64,
    #[resource(has_many(destination_attribute = folder_id, sort(meta)))]
    pub notes: Loaded<Vec<Note>>,
}

fn main() {}
