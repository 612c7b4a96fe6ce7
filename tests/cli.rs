//! The command line as users and CI scripts see it.
