//! Colours and text styles. Every distinction the UI makes is also made by a glyph or a
//! text attribute (`──▶` front-channel, `══▶` back-channel, `··▶` observed, `⚠`
//! attacker, `✎` learner, `▶` + reverse video for the current step), so the screen reads
//! the same without colour, for colour-blind people, and under `NO_COLOR`.
//!
//! Colours are the terminal's own named ANSI colours (never a fixed background), which
//! the terminal's palette adapts to dark and light backgrounds; yellow and bright colours
//! are avoided since they vanish on white.

use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};

/// The styles of every element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub base: Style,
    pub dim: Style,
    pub bold: Style,
    pub title: Style,
    pub border: Style,
    pub border_focused: Style,
    pub lane: Style,
    pub lane_header: Style,
    pub front: Style,
    pub back: Style,
    pub observed: Style,
    pub attacker: Style,
    pub learner: Style,
    pub event: Style,
    pub current: Style,
    pub changed: Style,
    pub key: Style,
    pub header_name: Style,
    pub ok: Style,
    pub bad: Style,
    pub warn: Style,
    pub tab_selected: Style,
    pub status: Style,
    pub banner_ok: Style,
    pub banner_bad: Style,
}

const fn fg(c: Color) -> Style {
    Style::new().fg(c)
}

const PLAIN: Style = Style::new();
const DIM: Style = Style::new().add_modifier(Modifier::DIM);
const BOLD: Style = Style::new().add_modifier(Modifier::BOLD);
const REVERSED: Style = Style::new().add_modifier(Modifier::REVERSED);
const REVERSED_BOLD: Modifier = Modifier::REVERSED.union(Modifier::BOLD);

/// Without colours (`NO_COLOR`): attributes only.
pub const MONO: Theme = Theme {
    base: PLAIN,
    dim: DIM,
    bold: BOLD,
    title: BOLD,
    border: DIM,
    border_focused: BOLD,
    lane: DIM,
    lane_header: BOLD,
    front: PLAIN,
    back: PLAIN,
    observed: DIM,
    attacker: BOLD,
    learner: BOLD,
    event: Style::new().add_modifier(Modifier::ITALIC),
    current: REVERSED,
    changed: BOLD,
    key: BOLD,
    header_name: BOLD,
    ok: BOLD,
    bad: BOLD,
    warn: BOLD,
    tab_selected: Style::new().add_modifier(REVERSED_BOLD),
    status: REVERSED,
    banner_ok: Style::new().add_modifier(REVERSED_BOLD),
    banner_bad: Style::new().add_modifier(REVERSED_BOLD),
};

/// With colours (named ANSI colours only): the attributes of [`MONO`], with colour where
/// it helps.
pub const COLOR: Theme = Theme {
    border_focused: fg(Color::Blue).add_modifier(Modifier::BOLD),
    back: fg(Color::Blue),
    observed: fg(Color::Magenta),
    attacker: fg(Color::Red).add_modifier(Modifier::BOLD),
    learner: fg(Color::Magenta).add_modifier(Modifier::BOLD),
    changed: fg(Color::Magenta).add_modifier(Modifier::BOLD),
    key: fg(Color::Blue).add_modifier(Modifier::BOLD),
    header_name: fg(Color::Blue),
    ok: fg(Color::Green).add_modifier(Modifier::BOLD),
    bad: fg(Color::Red).add_modifier(Modifier::BOLD),
    warn: fg(Color::Magenta).add_modifier(Modifier::BOLD),
    banner_ok: fg(Color::Green).add_modifier(REVERSED_BOLD),
    banner_bad: fg(Color::Red).add_modifier(REVERSED_BOLD),
    ..MONO
};

/// Whether `NO_COLOR` asks for no colour (set and non-empty, per no-color.org).
pub fn no_color_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// The theme for this process: [`MONO`] under `NO_COLOR`, else [`COLOR`].
pub fn theme() -> &'static Theme {
    static CHOSEN: OnceLock<&'static Theme> = OnceLock::new();
    CHOSEN.get_or_init(|| if no_color_requested() { &MONO } else { &COLOR })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every style of a theme.
    fn every_style(t: &Theme) -> [Style; 25] {
        [
            t.base,
            t.dim,
            t.bold,
            t.title,
            t.border,
            t.border_focused,
            t.lane,
            t.lane_header,
            t.front,
            t.back,
            t.observed,
            t.attacker,
            t.learner,
            t.event,
            t.current,
            t.changed,
            t.key,
            t.header_name,
            t.ok,
            t.bad,
            t.warn,
            t.tab_selected,
            t.status,
            t.banner_ok,
            t.banner_bad,
        ]
    }

    #[test]
    fn mono_uses_no_colour() {
        for s in every_style(&MONO) {
            assert_eq!(s.fg, None);
            assert_eq!(s.bg, None);
        }
    }

    #[test]
    fn colour_theme_sets_no_background() {
        for s in every_style(&COLOR) {
            assert_eq!(s.bg, None);
        }
    }
}
