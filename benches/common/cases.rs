//! The loads both benchmarks time (`benches/load.rs` in memory,
//! `benches/sql/` on SQL) and the size of their data.

use std::hint::black_box;

/// Representatives.
pub const REPS: usize = 1_000;
/// Tickets.
pub const TICKETS: usize = 100_000;
/// Comments per ticket.
pub const COMMENTS_PER_TICKET: usize = 3;
/// The per-parent window of the top-k load.
pub const TOP: usize = 3;

/// One load of the benchmark, onto how many representatives.
#[derive(Clone, Copy, Debug)]
pub enum Case {
    /// `Representative::tickets`.
    HasMany(usize),
    /// `Representative::tickets().sort(Ticket::priority().desc()).limit(3)`.
    Top3(usize),
    /// The guide's manual `tickets_above_threshold`, its loader as the README writes it.
    Above(usize),
    /// `Representative::tickets().load(Ticket::comments())`.
    Nested(usize),
}

impl Case {
    /// Every case, in the order they run.
    pub const ALL: [Case; 8] = [
        Case::HasMany(10),
        Case::HasMany(REPS),
        Case::Top3(10),
        Case::Top3(REPS),
        Case::Above(10),
        Case::Above(REPS),
        Case::Nested(10),
        Case::Nested(REPS),
    ];

    /// The load's name in the benchmarks' output.
    pub fn name(self) -> String {
        match self {
            Case::HasMany(n) => format!("has_many, {n} reps"),
            Case::Top3(n) => format!("top 3 per parent, {n} reps"),
            Case::Above(n) => format!("guide's manual load, {n} reps"),
            Case::Nested(n) => format!("nested tickets -> comments, {n} reps"),
        }
    }

    /// How many representatives it loads onto.
    pub fn parents(self) -> usize {
        match self {
            Case::HasMany(n) | Case::Top3(n) | Case::Above(n) | Case::Nested(n) => n,
        }
    }
}

measured!(
    measured_has_many_10: Case::HasMany(10),
    measured_has_many_1000: Case::HasMany(_),
    measured_top_10: Case::Top3(10),
    measured_top_1000: Case::Top3(_),
    measured_above_10: Case::Above(10),
    measured_above_1000: Case::Above(_),
    measured_nested_10: Case::Nested(10),
    measured_nested_1000: Case::Nested(_),
);
