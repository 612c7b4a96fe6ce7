//! SQL expressions as PostgreSQL prints them, with the source to write when the printed form does not parse back to itself.

/// SQL text of an expression or query as PostgreSQL prints it, which is what is compared.
///
/// PostgreSQL's printer is not always its parser's inverse: `status IN ('a', 'b')` on a varchar
/// column is stored as a tree that prints as `(ARRAY['a'::character varying, …])::text[]`, and
/// that text parses to a different tree. `source`, when set, is SQL verified on the shadow
/// database to produce exactly `text` again; the renderer writes it instead of `text`.
#[derive(Clone, Debug, Eq)]
pub struct Expr {
    pub text: String,
    pub source: Option<String>,
    /// Whether it calls a volatile function (`random()`, `gen_random_uuid()`, `nextval()`): such
    /// a default cannot be filled in for existing rows without rewriting the table. Read from
    /// the catalog; not compared.
    pub volatile: bool,
}

impl Expr {
    pub fn new(text: impl Into<String>) -> Self {
        Expr {
            text: text.into(),
            source: None,
            volatile: false,
        }
    }

    /// The SQL to write so that PostgreSQL stores `text`. SQL written in YAML may end in a
    /// `--` comment; a line break then keeps what follows it out of the comment.
    pub fn sql(&self) -> std::borrow::Cow<'_, str> {
        let sql = self.source.as_deref().unwrap_or(&self.text);
        match sql.lines().last() {
            Some(last) if last.contains("--") => format!("{sql}\n").into(),
            _ => sql.into(),
        }
    }
}

impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}
