//! The Helpdesk resources of the behaviour suites (`tests/semantics/`):
//! `Representative`, `Ticket`, `Comment`, `Tag` and the join resource
//! `TicketTag`, with one relationship per behaviour under test. The manual
//! loaders they name live in `loaders.rs`.

use ashore::prelude::*;

use super::loaders::{CommentsOf, FailingComments, Mode, Scripted, TicketsAboveThreshold};

resource! {
    /// A support representative.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Representative {
        attributes {
            uuid_primary_key id;
            attribute name: String;
            attribute priority_threshold: i64;
            attribute admin: bool;
        }
        relationships {
            has_many tickets: Ticket;
            // The guide's loader, with the condition its records meet: filters,
            // paths and aggregates go through the condition (the
            // `manual_conditions` suite), loads call the loader.
            has_many tickets_above_threshold: Ticket {
                manual TicketsAboveThreshold;
                condition representative_id == parent(id) and priority > parent(priority_threshold);
            }
            has_many open_tickets: Ticket { filter status == "open"; sort priority desc; }
            has_one latest_ticket: Ticket { sort opened_at desc; }
            has_one latest_open_ticket: Ticket { filter status == "open"; sort opened_at desc; }
            // A manual has_one whose loader returns every ticket of a representative:
            // right for those with at most one, an error for the others.
            has_one manual_sole_ticket: Ticket { manual Scripted(Mode::GroupBy); }
            has_many manual_tickets: Ticket { manual Scripted(Mode::GroupBy); }
            has_many manual_tickets_from_map: Ticket { manual Scripted(Mode::FromMap); }
            has_many manual_tickets_by_position: Ticket { manual Scripted(Mode::ByPosition); }
            has_many manual_tickets_short: Ticket { manual Scripted(Mode::ShortPositions); }
            has_many manual_open_tickets: Ticket {
                manual Scripted(Mode::GroupBy);
                filter status == "open";
                sort priority desc;
            }
            has_many manual_tickets_reversed: Ticket {
                manual Scripted(Mode::Reversed);
                sort priority desc;
            }
            has_many manual_stray: Ticket { manual Scripted(Mode::StrayKey); }
            has_many manual_failing: Ticket { manual Scripted(Mode::Fail); }
            has_many open_above_threshold_unset: Ticket {
                manual Scripted(Mode::Unset);
                filter status == "open";
            }
            has_many open_above_threshold_rebuilt: Ticket {
                manual Scripted(Mode::Rebuilt);
                filter status == "open";
            }
            // Keyed by a non-key attribute on both sides: the comments whose
            // `author` is this representative's `name`.
            has_many authored_comments: Comment {
                source_attribute name;
                destination_attribute author;
            }
            // The `parent_relationships` suite's: related by a condition on
            // both records, no key (the guide's manual relationship without
            // code), a has_one of it, and one with no equality to index.
            has_many above: Ticket {
                no_attributes;
                filter representative_id == parent(id) and priority > parent(priority_threshold);
            }
            has_one top_above: Ticket {
                no_attributes;
                filter representative_id == parent(id) and priority > parent(priority_threshold);
                sort priority desc;
            }
            has_many at_threshold: Ticket {
                no_attributes;
                filter priority == parent(priority_threshold) or exists(comments, author == parent(name));
            }
        }
        // The `aggregates` suite's: over tickets, through the relationship
        // filter of `open_tickets`, and two hops away.
        aggregates {
            count ticket_count: tickets;
            count open_ticket_count: tickets { filter status == "open"; }
            count open_tickets_count: open_tickets;
            exists has_open_tickets: tickets { filter status == "open"; }
            sum total_priority: tickets.priority as i64;
            sum open_priority: open_tickets.priority as i64 { filter priority > 1; }
            min lowest_priority: tickets.priority as i64;
            max highest_priority: tickets.priority as i64;
            max last_opened: tickets.opened_at as DateTime<Utc>;
            min first_subject_alphabetically: tickets.subject as String;
            avg mean_priority: tickets.priority;
            first first_subject: tickets.subject as String;
            count comment_count: tickets.comments;
            count tag_count: tickets.tags { filter name == "urgent"; }
            list subjects: tickets.subject as String;
            list open_priorities: tickets.priority as i64 { filter status == "open"; }
            list tag_names: tickets.tags.name as String;
            count above_count: above;
            count manual_above_count: tickets_above_threshold;
            max above_highest: above.priority as i64 { filter status == "open"; }
        }
    }
}

resource! {
    /// A support ticket.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ticket {
        attributes {
            uuid_primary_key id;
            attribute subject: String;
            attribute status: String;
            attribute priority: Option<i64>;
            attribute opened_at: DateTime<Utc>;
        }
        relationships {
            belongs_to representative: Representative;
            many_to_many tags: Tag {
                through TicketTag;
                source_attribute_on_join_resource ticket_id;
                destination_attribute_on_join_resource tag_id;
            }
            has_many comments: Comment;
            has_many comments_manual: Comment { manual CommentsOf; }
            has_many comments_failing: Comment { manual FailingComments; }
        }
    }
}

resource! {
    /// A comment on a ticket.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Comment {
        attributes {
            uuid_primary_key id;
            attribute body: String;
            attribute author: Option<String>;
        }
        relationships {
            belongs_to ticket: Ticket;
            // The representative whose `name` is `author`.
            belongs_to author_rep: Representative {
                source_attribute author;
                destination_attribute name;
            }
        }
    }
}

resource! {
    /// A label on tickets (integer primary key).
    #[derive(Debug, Clone, PartialEq)]
    pub struct Tag {
        attributes {
            integer_primary_key id;
            attribute name: String;
        }
        relationships {
            many_to_many tickets: Ticket {
                through TicketTag;
                source_attribute_on_join_resource tag_id;
                destination_attribute_on_join_resource ticket_id;
            }
        }
    }
}

resource! {
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
}
