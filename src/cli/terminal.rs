//! What the terminal gets: colour (`--color`, `NO_COLOR`, whether standard output is a
//! terminal), how much of the rehearsal's word is printed (`--verbose`), and progress
//! (`--quiet`, whether standard error is a terminal). The only place that looks at the terminal
//! and the environment for these; what it decides is handed down (a `Paint` to the listing, a
//! `Mode` to the progress).

use std::io::IsTerminal;

use clap::{Args, ValueEnum};
use schemaplan::plan::present::{HumanOptions, Paint};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// When the output is a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    Always,
    Never,
}

/// The flags every command that writes for people takes.
#[derive(Args, Clone, Debug)]
pub struct OutputArgs {
    /// Colour the output: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorWhen,
    /// Under every step, what the rehearsal observed (by default one line for the plan, and a
    /// line only under a step that did otherwise than predicted).
    #[arg(long, short)]
    pub verbose: bool,
    /// Show no progress on standard error (what the command prints otherwise is unchanged).
    #[arg(long, short)]
    pub quiet: bool,
}

/// How progress is shown on standard error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A spinner or bar redrawn in place: standard error is a terminal that can do it.
    Live,
    /// A plain line every few seconds while something long runs (CI logs, a file).
    Lines,
    Quiet,
}

/// What was decided for this run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Terminal {
    /// For what goes to standard output (the plan, the apply's steps).
    pub stdout: Paint,
    /// For what goes to standard error.
    pub stderr: Paint,
    pub verbose: bool,
    pub progress: Mode,
}

impl Terminal {
    /// How the plan is listed on standard output.
    pub fn human(&self) -> HumanOptions {
        HumanOptions {
            paint: self.stdout,
            verbose: self.verbose,
        }
    }
}

/// What the process's streams and environment are, as far as the decision needs them.
#[derive(Clone, Copy, Debug, Default)]
pub struct Seen {
    pub stdout_terminal: bool,
    pub stderr_terminal: bool,
    /// `NO_COLOR` is set, to any value.
    pub no_color: bool,
    /// `TERM` is unset or `dumb`: no cursor movement, no colour.
    pub dumb: bool,
}

impl Seen {
    pub fn of_process() -> Seen {
        let term = std::env::var("TERM").unwrap_or_default();
        Seen {
            stdout_terminal: std::io::stdout().is_terminal(),
            stderr_terminal: std::io::stderr().is_terminal(),
            no_color: std::env::var_os("NO_COLOR").is_some(),
            dumb: term.is_empty() || term == "dumb",
        }
    }
}

impl OutputArgs {
    pub fn terminal(&self) -> Terminal {
        decide(self, Seen::of_process())
    }
}

/// Progress for a command without `OutputArgs` (rollback): live on a terminal, lines elsewhere.
pub fn default_progress() -> Mode {
    let args = OutputArgs {
        color: ColorWhen::Auto,
        verbose: false,
        quiet: false,
    };
    decide(&args, Seen::of_process()).progress
}

/// `--color always` paints whatever the stream; `auto` paints a terminal's stream unless
/// `NO_COLOR` says otherwise or the terminal is dumb. Progress is live only on a terminal that
/// can redraw a line.
pub fn decide(args: &OutputArgs, seen: Seen) -> Terminal {
    let paint = |terminal: bool| {
        Paint::ansi(match args.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => terminal && !seen.no_color && !seen.dumb,
        })
    };
    Terminal {
        stdout: paint(seen.stdout_terminal),
        stderr: paint(seen.stderr_terminal),
        verbose: args.verbose,
        progress: if args.quiet {
            Mode::Quiet
        } else if seen.stderr_terminal && !seen.dumb {
            Mode::Live
        } else {
            Mode::Lines
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(color: ColorWhen) -> OutputArgs {
        OutputArgs {
            color,
            verbose: false,
            quiet: false,
        }
    }

    const TTY: Seen = Seen {
        stdout_terminal: true,
        stderr_terminal: true,
        no_color: false,
        dumb: false,
    };

    #[test]
    fn colour_on_a_terminal_only_unless_asked_and_never_against_no_color() {
        let auto = args(ColorWhen::Auto);
        assert_eq!(decide(&auto, TTY).stdout, Paint::ANSI);
        let piped = Seen {
            stdout_terminal: false,
            stderr_terminal: false,
            ..TTY
        };
        assert_eq!(decide(&auto, piped).stdout, Paint::PLAIN);
        assert_eq!(decide(&auto, piped).stderr, Paint::PLAIN);
        let half = Seen {
            stdout_terminal: false,
            ..TTY
        };
        assert_eq!(decide(&auto, half).stdout, Paint::PLAIN);
        assert_eq!(decide(&auto, half).stderr, Paint::ANSI);
        let no_color = Seen {
            no_color: true,
            ..TTY
        };
        assert_eq!(decide(&auto, no_color).stdout, Paint::PLAIN);
        let always = args(ColorWhen::Always);
        assert_eq!(decide(&always, piped).stdout, Paint::ANSI);
        assert_eq!(decide(&always, no_color).stdout, Paint::ANSI);
        assert_eq!(decide(&args(ColorWhen::Never), TTY).stdout, Paint::PLAIN);
        let dumb = Seen { dumb: true, ..TTY };
        assert_eq!(decide(&auto, dumb).stdout, Paint::PLAIN);
    }

    #[test]
    fn progress_is_live_on_a_terminal_lines_elsewhere_and_none_when_quiet() {
        let auto = args(ColorWhen::Auto);
        assert_eq!(decide(&auto, TTY).progress, Mode::Live);
        let piped = Seen {
            stderr_terminal: false,
            ..TTY
        };
        assert_eq!(decide(&auto, piped).progress, Mode::Lines);
        // NO_COLOR is about colour: the bar stays.
        let no_color = Seen {
            no_color: true,
            ..TTY
        };
        assert_eq!(decide(&auto, no_color).progress, Mode::Live);
        let dumb = Seen { dumb: true, ..TTY };
        assert_eq!(decide(&auto, dumb).progress, Mode::Lines);
        let quiet = OutputArgs {
            quiet: true,
            ..args(ColorWhen::Auto)
        };
        assert_eq!(decide(&quiet, TTY).progress, Mode::Quiet);
    }
}
