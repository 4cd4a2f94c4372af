//! `#[derive(Scalar)]` takes an enum of unit variants or a newtype: data in a
//! variant, a struct of two fields, two variants stored alike and a newtype
//! over an `Option` are each reported on the offending token.
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

// Nil is the attribute's `Option`, not the newtype's.
#[derive(Clone, Scalar)]
pub struct Maybe(Option<i64>);

fn main() {}
