//! PostgreSQL's lexical rules ("Lexical Structure" in its manual), once, for every scan of SQL
//! text: the text is cut into tokens with byte spans, so that a scanner asks "is this a word,
//! a string, a comment?" instead of tracking quotes by hand. Pure.
//!
//! The lexer never fails and never panics: text PostgreSQL would reject still yields tokens (an
//! unclosed quote or comment runs to the end and says so in `terminated`; a character that
//! starts nothing is `Other`). Tokens cover the text without gaps, in order, and every span
//! starts and ends on a character boundary.
//!
//! As in PostgreSQL (with `standard_conforming_strings` on, its default): letters, `_` and every
//! non-ASCII character start a word, digits and `$` may continue it; white space is ASCII only;
//! `''` doubles a quote in every quoted form, and a backslash escapes only in `E'…'`. Two
//! string constants separated by a line break are one constant to PostgreSQL, but two `String`
//! tokens here.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Spaces, tabs, line breaks, form feeds, vertical tabs.
    Whitespace,
    /// `-- …` up to the line break (not included), or `/* … */`, which nests.
    Comment,
    /// An unquoted identifier or a keyword: `select`, `a$b`, `été`. Not folded.
    Word,
    /// `"…"` or `U&"…"`.
    QuotedIdent,
    /// A character string: `'…'`, `E'…'`, `N'…'`, `U&'…'`.
    String,
    /// A bit string: `B'…'`, `X'…'`.
    BitString,
    /// `$$…$$` or `$tag$…$tag$`.
    DollarString,
    /// `42`, `1_000`, `3.5`, `.5`, `1e-3`, `0x1F`, `0o17`, `0b101`.
    Number,
    /// A positional parameter, `$1`.
    Param,
    /// A run of operator characters, cut where PostgreSQL cuts it: `=`, `<>`, `&&`, `->>`.
    Operator,
    /// `(` `)` `[` `]` `,` `;` `:` `.` `::` `:=` `..`
    Punct,
    /// Any other single character: `\`, `{`, `}`, a `$` that starts nothing, a control character.
    Other,
}

/// One token: its kind and where it stands in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
    /// False for a quote, dollar quote or block comment that the text ends inside of.
    pub terminated: bool,
}

impl Token {
    /// The token as written.
    pub fn text<'a>(&self, sql: &'a str) -> &'a str {
        &sql[self.start..self.end]
    }

    /// White space or a comment: what separates tokens without meaning anything.
    pub fn is_trivia(&self) -> bool {
        matches!(self.kind, Kind::Whitespace | Kind::Comment)
    }

    /// Whether it is the punctuation `p` (`(`, `.`, `::` …).
    pub fn is_punct(&self, sql: &str, p: &str) -> bool {
        self.kind == Kind::Punct && self.text(sql) == p
    }

    /// What the token stands for: a quoted identifier's name, a string's content (escapes
    /// resolved), a dollar-quoted string's body, a bit string's digits; any other token as
    /// written (words are not folded: folding is the caller's choice).
    pub fn value(&self, sql: &str) -> String {
        let text = self.text(sql);
        match self.kind {
            Kind::QuotedIdent | Kind::String => unquote(text, self.terminated),
            Kind::BitString => quoted_content(&text[1..], self.terminated).replace("''", "'"),
            Kind::DollarString => self.body(sql).to_string(),
            _ => text.to_string(),
        }
    }

    /// A dollar-quoted string's body, between its delimiters (as written, borrowed); the whole
    /// text of any other token.
    pub fn body<'a>(&self, sql: &'a str) -> &'a str {
        let text = self.text(sql);
        match self.kind {
            Kind::DollarString => dollar_body(text, self.terminated),
            _ => text,
        }
    }
}

/// The tokens of `sql`, in order; they cover it without gaps.
pub fn tokenize(sql: &str) -> Vec<Token> {
    Lexer::new(sql).collect()
}

/// The first token of `sql`, if it is not empty.
pub fn first(sql: &str) -> Option<Token> {
    Lexer::new(sql).next()
}

/// The token `sql` consists of, when it is exactly one.
pub fn single(sql: &str) -> Option<Token> {
    first(sql).filter(|t| t.end == sql.len())
}

/// Whether `text` names an operator as SQL writes one: a symbol PostgreSQL reads as one
/// operator (`=`, `&&`, `-|-`), or `OPERATOR(schema.symbol)` (white space allowed between its
/// tokens).
pub fn is_operator(text: &str) -> bool {
    if single(text).is_some_and(|t| t.kind == Kind::Operator) {
        return true;
    }
    let tokens: Vec<Token> = tokenize(text)
        .into_iter()
        .filter(|t| t.kind != Kind::Whitespace)
        .collect();
    let kinds: Vec<Kind> = tokens.iter().map(|t| t.kind).collect();
    let punct = |i: usize, p: &str| tokens[i].is_punct(text, p);
    let names = |i: usize| matches!(kinds[i], Kind::Word | Kind::QuotedIdent);
    let keyword = tokens
        .first()
        .is_some_and(|t| t.kind == Kind::Word && t.text(text).eq_ignore_ascii_case("operator"));
    keyword
        && match kinds.len() {
            // OPERATOR ( op )
            4 => punct(1, "(") && kinds[2] == Kind::Operator && punct(3, ")"),
            // OPERATOR ( schema . op )
            6 => {
                punct(1, "(")
                    && names(2)
                    && punct(3, ".")
                    && kinds[4] == Kind::Operator
                    && punct(5, ")")
            }
            _ => false,
        }
}

/// Characters operators are made of.
const OPERATOR_CHARS: &[u8] = b"+-*/<>=~!@#%^&|`?";

/// Operator characters that let a longer operator end in `+` or `-`.
const UNUSUAL_OPERATOR_CHARS: &[u8] = b"~!@#%^&|`?";

/// Whether every character of `text` is an operator character (`->`, `&&`, `--` alike): how a
/// bare operator symbol is told from a name.
pub fn is_operator_symbol(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| OPERATOR_CHARS.contains(&b))
}

/// Reads tokens one at a time.
pub struct Lexer<'a> {
    sql: &'a str,
    at: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(sql: &'a str) -> Self {
        Lexer { sql, at: 0 }
    }

    /// The text being read (token spans are offsets into it).
    pub fn source(&self) -> &'a str {
        self.sql
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        if self.at >= self.sql.len() {
            return None;
        }
        let (kind, end, terminated) = lex_one(self.sql.as_bytes(), self.at);
        // Every branch moves on by at least one byte and stops on an ASCII byte or the end, so
        // spans stay on character boundaries; the clamp guards the loop all the same.
        let end = end.clamp(self.at + 1, self.sql.len());
        let token = Token {
            kind,
            start: self.at,
            end,
            terminated,
        };
        self.at = end;
        Some(token)
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// Starts a word: a letter, `_`, or any byte of a non-ASCII character.
fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// Continues a word.
fn is_word_char(b: u8) -> bool {
    is_word_start(b) || b.is_ascii_digit() || b == b'$'
}

/// Continues a dollar quote's tag: a word character other than `$`.
fn is_tag_char(b: u8) -> bool {
    is_word_start(b) || b.is_ascii_digit()
}

/// The token starting at `i` (not past the end): its kind, end and whether it is closed.
fn lex_one(b: &[u8], i: usize) -> (Kind, usize, bool) {
    let c = b[i];
    let next = b.get(i + 1).copied();
    let closed = |kind: Kind, end: usize| (kind, end, true);
    match c {
        c if is_space(c) => closed(Kind::Whitespace, run(b, i, is_space)),
        b'-' if next == Some(b'-') => {
            closed(Kind::Comment, run(b, i, |c| c != b'\n' && c != b'\r'))
        }
        b'/' if next == Some(b'*') => {
            let (end, terminated) = block_comment(b, i);
            (Kind::Comment, end, terminated)
        }
        b'\'' => quoted(b, i, Kind::String, false),
        b'"' => quoted(b, i, Kind::QuotedIdent, false),
        b'e' | b'E' if next == Some(b'\'') => quoted(b, i + 1, Kind::String, true),
        b'n' | b'N' if next == Some(b'\'') => quoted(b, i + 1, Kind::String, false),
        b'b' | b'B' | b'x' | b'X' if next == Some(b'\'') => {
            quoted(b, i + 1, Kind::BitString, false)
        }
        b'u' | b'U' if next == Some(b'&') && matches!(b.get(i + 2), Some(b'\'' | b'"')) => {
            let kind = if b[i + 2] == b'"' {
                Kind::QuotedIdent
            } else {
                Kind::String
            };
            quoted(b, i + 2, kind, false)
        }
        c if is_word_start(c) => closed(Kind::Word, run(b, i, is_word_char)),
        b'$' => dollar(b, i),
        b'0'..=b'9' => closed(Kind::Number, number(b, i)),
        b'.' if next.is_some_and(|n| n.is_ascii_digit()) => closed(Kind::Number, number(b, i)),
        b'.' if next == Some(b'.') => closed(Kind::Punct, i + 2),
        b':' if matches!(next, Some(b':' | b'=')) => closed(Kind::Punct, i + 2),
        b'(' | b')' | b'[' | b']' | b',' | b';' | b':' | b'.' => closed(Kind::Punct, i + 1),
        c if OPERATOR_CHARS.contains(&c) => closed(Kind::Operator, operator(b, i)),
        _ => closed(Kind::Other, i + 1),
    }
}

/// The end of the run of bytes from `i` that satisfy `keep`.
fn run(b: &[u8], i: usize, keep: impl Fn(u8) -> bool) -> usize {
    let mut j = i;
    while j < b.len() && keep(b[j]) {
        j += 1;
    }
    j
}

/// A block comment from the `/*` at `i`: its end, and whether it is closed. Comments nest.
fn block_comment(b: &[u8], i: usize) -> (usize, bool) {
    let mut depth = 0usize;
    let mut j = i;
    while j < b.len() {
        if b[j] == b'/' && b.get(j + 1) == Some(&b'*') {
            depth += 1;
            j += 2;
        } else if b[j] == b'*' && b.get(j + 1) == Some(&b'/') {
            depth -= 1;
            j += 2;
            if depth == 0 {
                return (j, true);
            }
        } else {
            j += 1;
        }
    }
    (b.len(), false)
}

/// A quoted token whose opening quote is at `quote` (after its prefix, if any): doubled quotes
/// stand for one, and with `backslash` a backslash escapes the character after it.
fn quoted(b: &[u8], quote: usize, kind: Kind, backslash: bool) -> (Kind, usize, bool) {
    let q = b[quote];
    let mut j = quote + 1;
    while j < b.len() {
        match b[j] {
            b'\\' if backslash => j += 2,
            c if c == q => {
                if b.get(j + 1) == Some(&q) {
                    j += 2;
                } else {
                    return (kind, j + 1, true);
                }
            }
            _ => j += 1,
        }
    }
    (kind, b.len(), false)
}

/// A token starting with `$`: a parameter, a dollar-quoted string, or the lone character.
fn dollar(b: &[u8], i: usize) -> (Kind, usize, bool) {
    if b.get(i + 1).is_some_and(|c| c.is_ascii_digit()) {
        return (Kind::Param, run(b, i + 1, |c| c.is_ascii_digit()), true);
    }
    // The tag of `$tag$` is a word without `$`, so it does not start with a digit.
    let tag_end = if b.get(i + 1).copied().is_some_and(is_word_start) {
        run(b, i + 1, is_tag_char)
    } else {
        i + 1
    };
    if b.get(tag_end) != Some(&b'$') {
        return (Kind::Other, i + 1, true);
    }
    let delimiter = &b[i..=tag_end];
    let body = tag_end + 1;
    match find(&b[body..], delimiter) {
        Some(at) => (Kind::DollarString, body + at + delimiter.len(), true),
        None => (Kind::DollarString, b.len(), false),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The end of the number starting at `i` (a digit, or a `.` before a digit).
fn number(b: &[u8], i: usize) -> usize {
    // 0x…, 0o…, 0b…: at least one digit of the base after the prefix.
    if b[i] == b'0' {
        let digits: Option<fn(u8) -> bool> = match b.get(i + 1) {
            Some(b'x' | b'X') => Some(|c: u8| c.is_ascii_hexdigit()),
            Some(b'o' | b'O') => Some(|c: u8| (b'0'..=b'7').contains(&c)),
            Some(b'b' | b'B') => Some(|c: u8| c == b'0' || c == b'1'),
            _ => None,
        };
        if let Some(digit) = digits {
            let end = digits_from(b, i + 2, digit, true);
            if end > i + 2 {
                return end;
            }
        }
    }
    let decimal = |c: u8| c.is_ascii_digit();
    let mut j = digits_from(b, i, decimal, false);
    // A fraction, unless the `.` begins `..` (`1..10` in PL/pgSQL).
    if b.get(j) == Some(&b'.') && b.get(j + 1) != Some(&b'.') {
        j = digits_from(b, j + 1, decimal, false);
    }
    // An exponent only with its digits; `1e` is the number 1 and a word.
    if matches!(b.get(j), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(b.get(j + 1), Some(b'+' | b'-')));
        if b.get(j + 1 + sign).is_some_and(|c| c.is_ascii_digit()) {
            j = digits_from(b, j + 1 + sign, decimal, false);
        }
    }
    j
}

/// The end of a run of digits from `i`, single `_` allowed between digits (and right after a
/// base prefix when `after_prefix`).
fn digits_from(b: &[u8], i: usize, digit: impl Fn(u8) -> bool, after_prefix: bool) -> usize {
    let mut j = i;
    loop {
        match b.get(j) {
            Some(&c) if digit(c) => j += 1,
            Some(b'_') if (j > i || after_prefix) && b.get(j + 1).copied().is_some_and(&digit) => {
                j += 2
            }
            _ => return j,
        }
    }
}

/// The end of the operator starting at `i`: operator characters, but never into a comment,
/// and a longer operator ends in `+` or `-` only if it has one of `~ ! @ # % ^ & | \` ?`.
fn operator(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < b.len()
        && OPERATOR_CHARS.contains(&b[j])
        && !(b[j] == b'-' && b.get(j + 1) == Some(&b'-'))
        && !(b[j] == b'/' && b.get(j + 1) == Some(&b'*'))
    {
        j += 1;
    }
    if !b[i..j].iter().any(|c| UNUSUAL_OPERATOR_CHARS.contains(c)) {
        while j > i + 1 && matches!(b[j - 1], b'+' | b'-') {
            j -= 1;
        }
    }
    j
}

/// What lies between the quotes of a quoted token, from its opening quote on.
fn quoted_content(from_quote: &str, terminated: bool) -> &str {
    let inner = &from_quote[1..];
    if terminated {
        &inner[..inner.len() - 1]
    } else {
        inner
    }
}

/// The content of a quoted identifier or character string.
fn unquote(text: &str, terminated: bool) -> String {
    let first = text.as_bytes()[0];
    match first {
        b'\'' | b'"' => {
            let q = if first == b'"' { "\"" } else { "'" };
            quoted_content(text, terminated).replace(&format!("{q}{q}"), q)
        }
        b'n' | b'N' => unquote(&text[1..], terminated),
        b'e' | b'E' => unescape_backslashes(quoted_content(&text[1..], terminated)),
        // U&'…', U&"…"
        _ => {
            let inner = unquote(&text[2..], terminated);
            unescape_unicode(&inner)
        }
    }
}

/// The content of `E'…'` (between the quotes) with its escapes resolved: `\n` and its kin,
/// octal `\ooo` and hex `\xhh` (bytes, as in PostgreSQL), `\uXXXX` and `\UXXXXXXXX`; `\` before
/// any other character stands for that character, and `''` for `'`. A `\u` escape that makes no
/// character is kept as written, and bytes that make no UTF-8 are replaced (PostgreSQL rejects
/// both).
fn unescape_backslashes(content: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(content.len());
    let mut rest = content;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        if c == '\'' && rest.starts_with('\'') {
            rest = &rest[1..];
            out.push(b'\'');
            continue;
        }
        if c != '\\' {
            push_char(&mut out, c);
            continue;
        }
        let Some(e) = rest.chars().next() else {
            out.push(b'\\');
            break;
        };
        let (radix, max, skip) = match e {
            '0'..='7' => (8, 3, 0),
            'x' => (16, 2, 1),
            'u' => (16, 4, 1),
            'U' => (16, 8, 1),
            _ => {
                rest = &rest[e.len_utf8()..];
                push_char(
                    &mut out,
                    match e {
                        'b' => '\x08',
                        'f' => '\x0c',
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        other => other,
                    },
                );
                continue;
            }
        };
        let digits: String = rest[skip..]
            .chars()
            .take(max)
            .take_while(|d| d.is_digit(radix))
            .collect();
        let value = u32::from_str_radix(&digits, radix).ok();
        match (e, value) {
            // `\x` without a hex digit is an `x`, like any other escaped character.
            ('x', None) => {
                out.push(b'x');
                rest = &rest[1..];
            }
            ('u' | 'U', Some(v)) if digits.len() == max => match char::from_u32(v) {
                Some(ch) => {
                    push_char(&mut out, ch);
                    rest = &rest[skip + digits.len()..];
                }
                None => out.push(b'\\'),
            },
            ('u' | 'U', _) => out.push(b'\\'),
            (_, Some(v)) => {
                // Octal up to \777 keeps its low byte, as PostgreSQL does.
                out.push((v & 0xff) as u8);
                rest = &rest[skip + digits.len()..];
            }
            (_, None) => out.push(b'\\'),
        }
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// The content of `U&'…'` or `U&"…"` (quotes already undone) with `\XXXX`, `\+XXXXXX` and `\\`
/// resolved; escapes that make no valid character are kept as written. (A `UESCAPE` clause
/// after the token is not seen here: the escape character is always `\`.)
fn unescape_unicode(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        if c != '\\' {
            out.push(c);
            continue;
        }
        if let Some(after) = rest.strip_prefix('\\') {
            out.push('\\');
            rest = after;
            continue;
        }
        let (skip, len) = if rest.starts_with('+') {
            (1, 6)
        } else {
            (0, 4)
        };
        let decoded = rest
            .get(skip..skip + len)
            .filter(|h| h.bytes().all(|d| d.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        match decoded {
            Some(ch) => {
                out.push(ch);
                rest = &rest[skip + len..];
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The body of a dollar-quoted string, between its delimiters.
fn dollar_body(text: &str, terminated: bool) -> &str {
    // The opening delimiter is `$`, the tag, `$` (the tag has no `$`); a closed string ends with
    // the same delimiter.
    let open = text[1..].find('$').map_or(text.len(), |i| i + 2);
    let end = if terminated {
        text.len().saturating_sub(open)
    } else {
        text.len()
    };
    text.get(open..end.max(open)).unwrap_or("")
}

#[cfg(test)]
mod tests;
