//! The inputs the crate-level tests share: the Helpdesk resources of Ash's
//! manual-relationships guide as `resource!` input (the shape of
//! `examples/helpdesk.rs` and `tests/common/resources.rs`, every relationship kind
//! and option on them once), and `expr!` inputs covering the filter grammar.

/// The representative, with the guide's manual relationship, an ordinary
/// has_many, a has_many with `filter` and `sort`, and a has_one with its keys
/// given explicitly.
pub const REPRESENTATIVE: &str = r#"
    /// A support representative.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            /// Tickets with a higher priority than this are "above threshold".
            attribute priority_threshold: i64;
        }
        relationships {
            has_many tickets: Ticket;
            has_many tickets_above_threshold: Ticket {
                manual TicketsAboveThreshold;
            }
            has_many open_tickets: Ticket {
                filter status == "open" and not is_nil(priority);
                sort priority desc, subject;
            }
            has_one latest_ticket: Ticket {
                source_attribute id;
                destination_attribute representative_id;
                sort priority desc_nils_last;
            }
        }
    }
"#;

/// The ticket: its table named, a belongs_to, and a many_to_many through
/// `TicketTag` with every join option, a `filter` and a `sort`.
pub const TICKET: &str = r#"
    /// A support ticket.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ticket {
        table "tickets";
        attributes {
            uuid_primary_key id;
            attribute subject: String;
            attribute status: String;
            /// Nil when nobody has triaged the ticket yet.
            attribute priority: Option<i64>;
        }
        relationships {
            belongs_to representative: Representative;
            many_to_many tags: Tag {
                through TicketTag;
                source_attribute_on_join_resource ticket_id;
                destination_attribute_on_join_resource tag_id;
                filter weight > ^MIN_WEIGHT or name in ["urgent", "vip"];
                sort weight desc, name asc_nils_first;
            }
        }
    }
"#;

/// A tag, with an integer primary key and the many_to_many back.
pub const TAG: &str = r#"
    /// A label on tickets.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Tag {
        attributes {
            integer_primary_key id;
            attribute name: String;
            attribute weight: Option<i64>;
        }
        relationships {
            many_to_many tickets: Ticket {
                through TicketTag;
                source_attribute_on_join_resource tag_id;
                destination_attribute_on_join_resource ticket_id;
            }
        }
    }
"#;

/// The join resource of `Ticket.tags` and `Tag.tickets`.
pub const TICKET_TAG: &str = r#"
    /// The join resource of `Ticket.tags` and `Tag.tickets`.
    #[derive(Debug, Clone, PartialEq)]
    pub struct TicketTag {
        attributes {
            uuid_primary_key id;
        }
        relationships {
            belongs_to ticket: Ticket;
            belongs_to tag: Tag;
        }
    }
"#;

/// A ticket with read policies (every check and line kind, both templates),
/// multitenancy and `authorize_read_with`.
pub const POLICED_TICKET: &str = r#"
        #[derive(Debug, Clone, PartialEq)]
        pub struct Ticket {
            attributes {
                uuid_primary_key id;
                attribute status: String;
                attribute organization_id: Uuid;
            }
            relationships {
                belongs_to representative: Representative { authorize_read_with error; }
            }
            policies {
                policy always() {
                    authorize_if actor_attribute_equals(admin, true);
                    authorize_if expr(representative_id == ^actor(id));
                    forbid_if expr(status == "closed");
                    authorize_unless actor_present();
                    forbid_unless expr(organization_id == ^tenant());
                }
            }
            multitenancy {
                attribute organization_id;
                global;
            }
        }
        "#;

/// Every Helpdesk resource, by name, and the policed ticket.
pub const RESOURCES: [(&str, &str); 5] = [
    ("representative", REPRESENTATIVE),
    ("ticket", TICKET),
    ("tag", TAG),
    ("ticket_tag", TICKET_TAG),
    ("policed_ticket", POLICED_TICKET),
];

/// `expr!` inputs: the guide's two filters, then every operator, function,
/// literal and pin form.
pub const EXPRS: [&str; 6] = [
    "representative_id in ^rep_ids",
    "priority > representative.priority_threshold",
    r#"status == "open" and (priority >= 3 || is_nil(priority)) or not (subject != "x")"#,
    "exists(tags, name in [\"urgent\", -1, 2.5, ^extra] and weight <= ^self.min)",
    "!(-priority * 2 + 1 / ^(a.b()) - 3 < ^path::to::LIMIT) && priority == true",
    "exists(representative.tickets, priority > ^limits.0,) || subject == \"\"",
];
