//! One row of the order tables: the change under test, the changes it is ordered with, and the
//! order that comes out.

use crate::plan::change::Change;

/// A change under test, with the changes it is ordered with and the order expected.
pub struct Row {
    pub subject: Change,
    pub with: Vec<Change>,
    /// Extra edges `(a, b)` between positions of `[subject, with…]`: a runs before b.
    pub sequence: Vec<(usize, usize)>,
    pub expect: &'static [&'static str],
}

pub fn row(subject: Change, with: Vec<Change>, expect: &'static [&'static str]) -> Row {
    Row {
        subject,
        with,
        sequence: Vec::new(),
        expect,
    }
}
