//! A keyword as an attribute's name, written raw (`attribute r#type: String;`,
//! as the macro's error says): the field is `r#type`, but the attribute, its
//! column and its filters are named `type`, on every layer.

use ashore::prelude::*;

use crate::common::*;

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Issue {
        attributes {
            uuid_primary_key id;
            attribute r#type: String;
        }
    }
}

async fn a_raw_keyword_names_an_attribute(run: Run) -> ashore::Result<()> {
    let d = domain(&run, |b| b.resource::<Issue>()).await;
    for kind in ["bug", "feature"] {
        d.create(Issue::changeset().set(Issue::r#type(), kind))
            .await?;
    }
    let bugs = d
        .read(Issue::query().filter(expr!(r#type == "bug")))
        .await?;
    assert_eq!(bugs.len(), 1);
    assert_eq!(bugs[0].r#type, "bug");
    assert_eq!(Issue::schema().attributes[1].name, "type");
    Ok(())
}
layers!(a_raw_keyword_names_an_attribute);
