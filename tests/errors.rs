//! Error reports for broken desired states, snapshot-tested.
