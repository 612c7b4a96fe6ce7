//! Connection errors, worded as libpq words them so that a message from schemaplan reads like
//! the one psql would print for the same settings.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnError {
    /// The connection string, environment, service file or a file it names is wrong: nothing
    /// was tried. The message names the parameter or file and what was expected.
    #[error("{0}")]
    Settings(String),
    /// Every host was tried and none gave a usable connection: one line per attempt, as libpq
    /// reports them (`connection to server at "h" (1.2.3.4), port 5432 failed: …`).
    #[error("{}", .0.join("\n"))]
    Failed(Vec<String>),
}

impl ConnError {
    pub fn settings(message: impl Into<String>) -> ConnError {
        ConnError::Settings(message.into())
    }
}
