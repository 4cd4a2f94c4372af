//! Relationship `filter` options that go through each other: following one
//! would compile the others' filters without end (a stack overflow on every
//! layer), so `DomainBuilder::build` refuses the domain, naming the
//! relationships in turn. Filters that go through other relationships without
//! coming back stay allowed.

use ashore::prelude::*;

resource! {
    /// A relationship whose filter goes through itself.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Folder {
        attributes {
            integer_primary_key id;
            attribute parent_id: Option<i64>;
            attribute open: bool;
        }
        relationships {
            belongs_to parent: Folder;
            has_many open_children: Folder {
                destination_attribute parent_id;
                filter open == true and exists(open_children, open == true);
            }
        }
    }
}

resource! {
    /// Two relationships whose filters go through each other.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Team {
        attributes {
            integer_primary_key id;
            attribute active: bool;
        }
        relationships {
            has_many active_members: Member {
                destination_attribute team_id;
                filter exists(active_team, active == true);
            }
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Member {
        attributes {
            integer_primary_key id;
            attribute team_id: Option<i64>;
            attribute active: bool;
        }
        relationships {
            belongs_to active_team: Team {
                source_attribute team_id;
                filter exists(active_members, active == true);
            }
            belongs_to team: Team { source_attribute team_id; }
        }
    }
}

resource! {
    /// A filter through another relationship with a filter of its own, which
    /// does not come back: allowed.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Club {
        attributes {
            integer_primary_key id;
            attribute name: String;
        }
        relationships {
            has_many active_players: Player {
                destination_attribute club_id;
                filter active == true;
            }
            has_many players: Player { destination_attribute club_id; }
        }
    }
}

resource! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Player {
        attributes {
            integer_primary_key id;
            attribute club_id: Option<i64>;
            attribute active: bool;
        }
        relationships {
            belongs_to club: Club;
            belongs_to playing_club: Club {
                source_attribute club_id;
                filter exists(active_players, active == true);
            }
        }
    }
}

fn refused(build: Result<Domain>) -> Error {
    let err = build.expect_err("relationship filters that go through each other");
    assert!(
        matches!(err.kind(), ErrorKind::InvalidQuery { .. }),
        "{err:?}"
    );
    err
}

#[test]
fn a_filter_through_its_own_relationship_is_refused() {
    let err = refused(Domain::builder().resource::<Folder>().build());
    assert_eq!(err.path(), ["Folder", "open_children"]);
    assert!(
        err.to_string()
            .contains("Folder.open_children → Folder.open_children"),
        "{err}"
    );
}

#[test]
fn filters_through_each_other_are_refused_naming_each() {
    let err = refused(
        Domain::builder()
            .resource::<Team>()
            .resource::<Member>()
            .build(),
    );
    let message = err.to_string();
    assert!(
        message.contains("Team.active_members → Member.active_team → Team.active_members")
            || message.contains("Member.active_team → Team.active_members → Member.active_team"),
        "{message}"
    );
}

#[tokio::test]
async fn a_filter_through_another_relationship_that_does_not_come_back_is_allowed() -> Result<()> {
    let d = Domain::builder()
        .resource::<Club>()
        .resource::<Player>()
        .build()?;
    let club = |name: &str| Club::changeset().set(Club::name(), name);
    let clubs = d.create_many(vec![club("Rovers"), club("Idlers")]).await?;
    let player = |club: &Club, active: bool| {
        Player::changeset()
            .set(Player::club_id(), Some(club.id))
            .set(Player::active(), active)
    };
    d.create_many(vec![player(&clubs[0], true), player(&clubs[1], false)])
        .await?;
    let playing = d
        .read(Player::query().filter(expr!(playing_club.name == "Rovers")))
        .await?;
    assert_eq!(playing.len(), 1);
    Ok(())
}
