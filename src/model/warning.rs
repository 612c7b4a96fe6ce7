//! Warnings: what a plan does not do, or does with a risk, named by object.

/// Something the plan does not do, or does with a risk, reported to the user.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    pub object: String,
    pub message: String,
}
