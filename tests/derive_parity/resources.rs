//! The Helpdesk resources of `tests/common/resources.rs`, declared with
//! `#[derive(Resource)]`: the same names, attributes (in the same order, each
//! belongs_to's foreign key after the declared attributes, as `resource!` puts
//! it), relationships and options, so every shared test runs on them unchanged.

use ashore::prelude::*;

use super::loaders::{CommentsOf, FailingComments, Mode, Scripted, TicketsAboveThreshold};

/// A support representative.
#[derive(Debug, Clone, PartialEq, Resource)]
pub struct Representative {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub name: String,
    pub priority_threshold: i64,
    pub admin: bool,
    #[resource(has_many)]
    pub tickets: Loaded<Vec<Ticket>>,
    // The guide's loader, with the condition its records meet: filters,
    // paths and aggregates go through the condition (the `manual_conditions`
    // suite), loads call the loader.
    #[resource(has_many(
        manual = TicketsAboveThreshold,
        condition(representative_id == parent(id) and priority > parent(priority_threshold))
    ))]
    pub tickets_above_threshold: Loaded<Vec<Ticket>>,
    #[resource(has_many(filter(status == "open"), sort(priority desc)))]
    pub open_tickets: Loaded<Vec<Ticket>>,
    #[resource(has_one(sort = "opened_at desc"))]
    pub latest_ticket: Loaded<Option<Ticket>>,
    #[resource(has_one(filter = r#"status == "open""#, sort(opened_at desc)))]
    pub latest_open_ticket: Loaded<Option<Ticket>>,
    // A manual has_one whose loader returns every ticket of a representative:
    // right for those with at most one, an error for the others.
    #[resource(has_one(manual = Scripted(Mode::GroupBy)))]
    pub manual_sole_ticket: Loaded<Option<Ticket>>,
    #[resource(has_many(destination = Ticket, manual = Scripted(Mode::GroupBy)))]
    pub manual_tickets: Loaded<Vec<Ticket>>,
    #[resource(has_many(manual = Scripted(Mode::FromMap)))]
    pub manual_tickets_from_map: Loaded<Vec<Ticket>>,
    #[resource(has_many(manual = Scripted(Mode::ByPosition)))]
    pub manual_tickets_by_position: Loaded<Vec<Ticket>>,
    #[resource(has_many(manual = Scripted(Mode::ShortPositions)))]
    pub manual_tickets_short: Loaded<Vec<Ticket>>,
    #[resource(has_many(
        manual = Scripted(Mode::GroupBy),
        filter(status == "open"),
        sort(priority desc)
    ))]
    pub manual_open_tickets: Loaded<Vec<Ticket>>,
    #[resource(has_many(manual = Scripted(Mode::Reversed), sort(priority desc)))]
    pub manual_tickets_reversed: Loaded<Vec<Ticket>>,
    #[resource(has_many(manual = Scripted(Mode::StrayKey)))]
    pub manual_stray: Loaded<Vec<Ticket>>,
    #[resource(has_many(manual = Scripted(Mode::Fail)))]
    pub manual_failing: Loaded<Vec<Ticket>>,
    #[resource(has_many(manual = Scripted(Mode::Unset), filter(status == "open")))]
    pub open_above_threshold_unset: Loaded<Vec<Ticket>>,
    #[resource(has_many(manual = Scripted(Mode::Rebuilt), filter(status == "open")))]
    pub open_above_threshold_rebuilt: Loaded<Vec<Ticket>>,
    // Keyed by a non-key attribute on both sides: the comments whose
    // `author` is this representative's `name`.
    #[resource(has_many(source_attribute = name, destination_attribute = author))]
    pub authored_comments: Loaded<Vec<Comment>>,
    // The `parent_relationships` suite's: related by a condition on both
    // records, no key (the guide's manual relationship without code), a
    // has_one of it, and one with no equality to index.
    #[resource(has_many(
        destination = Ticket,
        no_attributes,
        filter(representative_id == parent(id) and priority > parent(priority_threshold))
    ))]
    pub above: Loaded<Vec<Ticket>>,
    #[resource(has_one(
        destination = Ticket,
        no_attributes,
        filter(representative_id == parent(id) and priority > parent(priority_threshold)),
        sort(priority desc)
    ))]
    pub top_above: Loaded<Option<Ticket>>,
    #[resource(has_many(
        destination = Ticket,
        no_attributes,
        filter(priority == parent(priority_threshold) or exists(comments, author == parent(name)))
    ))]
    pub at_threshold: Loaded<Vec<Ticket>>,
    // The `aggregates` suite's: over tickets, through the relationship
    // filter of `open_tickets`, and two hops away.
    #[resource(aggregate(count, tickets))]
    pub ticket_count: Loaded<i64>,
    #[resource(aggregate(count, tickets, filter(status == "open")))]
    pub open_ticket_count: Loaded<i64>,
    #[resource(aggregate(count, open_tickets))]
    pub open_tickets_count: Loaded<i64>,
    #[resource(aggregate(exists, tickets, filter(status == "open")))]
    pub has_open_tickets: Loaded<bool>,
    #[resource(aggregate(sum, tickets.priority))]
    pub total_priority: Loaded<Option<i64>>,
    #[resource(aggregate(sum, open_tickets.priority, filter(priority > 1)))]
    pub open_priority: Loaded<Option<i64>>,
    #[resource(aggregate(min, tickets.priority))]
    pub lowest_priority: Loaded<Option<i64>>,
    #[resource(aggregate(max, tickets.priority))]
    pub highest_priority: Loaded<Option<i64>>,
    #[resource(aggregate(max, tickets.opened_at))]
    pub last_opened: Loaded<Option<DateTime<Utc>>>,
    #[resource(aggregate(min, tickets.subject))]
    pub first_subject_alphabetically: Loaded<Option<String>>,
    #[resource(aggregate(avg, tickets.priority))]
    pub mean_priority: Loaded<Option<f64>>,
    #[resource(aggregate(first, tickets.subject))]
    pub first_subject: Loaded<Option<String>>,
    #[resource(aggregate(count, tickets.comments))]
    pub comment_count: Loaded<i64>,
    #[resource(aggregate(count, tickets.tags, filter(name == "urgent")))]
    pub tag_count: Loaded<i64>,
    #[resource(aggregate(list, tickets.subject))]
    pub subjects: Loaded<Vec<String>>,
    #[resource(aggregate(list, tickets.priority, filter(status == "open")))]
    pub open_priorities: Loaded<Vec<i64>>,
    #[resource(aggregate(list, tickets.tags.name))]
    pub tag_names: Loaded<Vec<String>>,
    #[resource(aggregate(count, above))]
    pub above_count: Loaded<i64>,
    #[resource(aggregate(count, tickets_above_threshold))]
    pub manual_above_count: Loaded<i64>,
    #[resource(aggregate(max, above.priority, filter(status == "open")))]
    pub above_highest: Loaded<Option<i64>>,
}

/// A support ticket.
#[derive(Debug, Clone, PartialEq, Resource)]
pub struct Ticket {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub subject: String,
    pub status: String,
    pub priority: Option<i64>,
    pub opened_at: DateTime<Utc>,
    pub representative_id: Option<Uuid>,
    #[resource(belongs_to)]
    pub representative: Loaded<Option<Representative>>,
    #[resource(many_to_many(
        through = TicketTag,
        source_attribute_on_join_resource = ticket_id,
        destination_attribute_on_join_resource = tag_id
    ))]
    pub tags: Loaded<Vec<Tag>>,
    #[resource(has_many)]
    pub comments: Loaded<Vec<Comment>>,
    #[resource(has_many(manual = CommentsOf))]
    pub comments_manual: Loaded<Vec<Comment>>,
    #[resource(has_many(manual = FailingComments))]
    pub comments_failing: Loaded<Vec<Comment>>,
}

/// A comment on a ticket.
#[derive(Debug, Clone, PartialEq, Resource)]
pub struct Comment {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub body: String,
    pub author: Option<String>,
    pub ticket_id: Option<Uuid>,
    #[resource(belongs_to)]
    pub ticket: Loaded<Option<Ticket>>,
    // The representative whose `name` is `author`.
    #[resource(belongs_to(source_attribute = author, destination_attribute = name))]
    pub author_rep: Loaded<Option<Representative>>,
}

/// A label on tickets (integer primary key).
#[derive(Debug, Clone, PartialEq, Resource)]
pub struct Tag {
    #[resource(integer_primary_key)]
    pub id: i64,
    pub name: String,
    #[resource(many_to_many(
        through = TicketTag,
        source_attribute_on_join_resource = tag_id,
        destination_attribute_on_join_resource = ticket_id
    ))]
    pub tickets: Loaded<Vec<Ticket>>,
}

/// The join resource of `Ticket.tags` and `Tag.tickets`.
#[derive(Debug, Clone, PartialEq, Resource)]
pub struct TicketTag {
    #[resource(uuid_primary_key)]
    pub id: Uuid,
    pub ticket_id: Option<Uuid>,
    pub tag_id: Option<i64>,
    #[resource(belongs_to)]
    pub ticket: Loaded<Option<Ticket>>,
    #[resource(belongs_to(destination = Tag))]
    pub tag: Loaded<Option<Tag>>,
}
