//! `#[derive(Scalar)]` takes an enum of unit variants or a newtype: data in a
//! variant, a struct of two fields and two variants stored alike are each
//! reported on the offending token.
use ashore::prelude::*;

#[derive(Clone, Scalar)]
pub enum Shape {
    Circle(f64),
    Square,
}

#[derive(Clone, Scalar)]
pub struct Point(i64, i64);

#[derive(Clone, Scalar)]
pub enum Status {
    Open,
    #[scalar(rename = "open")]
    Reopened,
}

fn main() {}
