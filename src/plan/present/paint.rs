//! Colour for the presentations meant for people. Pure: whether to paint is decided by the
//! binary (a terminal, `NO_COLOR`, `--color`) and handed in; here a role becomes ANSI codes
//! (through `anstyle`) or stays plain text, byte for byte.

use anstyle::{AnsiColor, Style};

/// Whether text is painted: `PLAIN` leaves it as it is, `ANSI` wraps each painted part in the
/// codes of its role and a reset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Paint {
    ansi: bool,
}

/// What a painted part is, which decides its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A heading: a phase, the plan's first line (bold).
    Heading,
    /// A hazard, an error, a failed rehearsal (bold red).
    Hazard,
    /// A warning, or something that differs from what was predicted (yellow).
    Warning,
    /// Something created, or a line a diff adds (`+`, green).
    Added,
    /// Something dropped, or a line a diff removes (`-`, red).
    Removed,
    /// Something altered (`~`, yellow).
    Changed,
    /// Something that went as it should (green).
    Good,
    /// What matters less: a diff's position line (dim).
    Faint,
}

impl Paint {
    pub const PLAIN: Paint = Paint { ansi: false };
    pub const ANSI: Paint = Paint { ansi: true };

    /// `ANSI` when `on`, else `PLAIN`.
    pub fn ansi(on: bool) -> Paint {
        Paint { ansi: on }
    }

    pub fn is_on(self) -> bool {
        self.ansi
    }

    /// `text` in the style of `role`, or `text` itself.
    pub fn paint(self, role: Role, text: &str) -> String {
        if !self.ansi || text.is_empty() {
            return text.to_string();
        }
        let style = style(role);
        format!("{}{text}{}", style.render(), style.render_reset())
    }

    /// A plan's sign (`+`, `-`, `~`) in its colour.
    pub fn sign(self, sign: &str) -> String {
        let role = match sign {
            "+" => Role::Added,
            "-" => Role::Removed,
            _ => Role::Changed,
        };
        self.paint(role, sign)
    }
}

fn style(role: Role) -> Style {
    match role {
        Role::Heading => Style::new().bold(),
        Role::Hazard => AnsiColor::Red.on_default().bold(),
        Role::Warning | Role::Changed => AnsiColor::Yellow.on_default(),
        Role::Added | Role::Good => AnsiColor::Green.on_default(),
        Role::Removed => AnsiColor::Red.on_default(),
        Role::Faint => Style::new().dimmed(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paint_leaves_text_as_it_is_and_ansi_wraps_and_resets() {
        assert_eq!(
            Paint::PLAIN.paint(Role::Hazard, "DeletesData"),
            "DeletesData"
        );
        assert_eq!(Paint::PLAIN.sign("+"), "+");
        assert_eq!(
            Paint::ANSI.paint(Role::Hazard, "DeletesData"),
            "\x1b[1m\x1b[31mDeletesData\x1b[0m"
        );
        assert_eq!(Paint::ANSI.sign("+"), "\x1b[32m+\x1b[0m");
        assert_eq!(Paint::ANSI.paint(Role::Heading, ""), "");
    }
}
