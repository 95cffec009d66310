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

/// With colours (named ANSI colours only).
pub const COLOR: Theme = Theme {
    base: Style::new(),
    dim: Style::new().add_modifier(Modifier::DIM),
    bold: Style::new().add_modifier(Modifier::BOLD),
    title: Style::new().add_modifier(Modifier::BOLD),
    border: Style::new().add_modifier(Modifier::DIM),
    border_focused: fg(Color::Blue).add_modifier(Modifier::BOLD),
    lane: Style::new().add_modifier(Modifier::DIM),
    lane_header: Style::new().add_modifier(Modifier::BOLD),
    front: Style::new(),
    back: fg(Color::Blue),
    observed: fg(Color::Magenta),
    attacker: fg(Color::Red).add_modifier(Modifier::BOLD),
    learner: fg(Color::Magenta).add_modifier(Modifier::BOLD),
    event: Style::new().add_modifier(Modifier::ITALIC),
    current: Style::new().add_modifier(Modifier::REVERSED),
    changed: fg(Color::Magenta).add_modifier(Modifier::BOLD),
    key: fg(Color::Blue).add_modifier(Modifier::BOLD),
    header_name: fg(Color::Blue),
    ok: fg(Color::Green).add_modifier(Modifier::BOLD),
    bad: fg(Color::Red).add_modifier(Modifier::BOLD),
    warn: fg(Color::Magenta).add_modifier(Modifier::BOLD),
    tab_selected: Style::new()
        .add_modifier(Modifier::REVERSED)
        .add_modifier(Modifier::BOLD),
    status: Style::new().add_modifier(Modifier::REVERSED),
    banner_ok: fg(Color::Green).add_modifier(Modifier::REVERSED.union(Modifier::BOLD)),
    banner_bad: fg(Color::Red).add_modifier(Modifier::REVERSED.union(Modifier::BOLD)),
};

/// Without colours (`NO_COLOR`): attributes only.
pub const MONO: Theme = Theme {
    base: Style::new(),
    dim: Style::new().add_modifier(Modifier::DIM),
    bold: Style::new().add_modifier(Modifier::BOLD),
    title: Style::new().add_modifier(Modifier::BOLD),
    border: Style::new().add_modifier(Modifier::DIM),
    border_focused: Style::new().add_modifier(Modifier::BOLD),
    lane: Style::new().add_modifier(Modifier::DIM),
    lane_header: Style::new().add_modifier(Modifier::BOLD),
    front: Style::new(),
    back: Style::new(),
    observed: Style::new().add_modifier(Modifier::DIM),
    attacker: Style::new().add_modifier(Modifier::BOLD),
    learner: Style::new().add_modifier(Modifier::BOLD),
    event: Style::new().add_modifier(Modifier::ITALIC),
    current: Style::new().add_modifier(Modifier::REVERSED),
    changed: Style::new().add_modifier(Modifier::BOLD),
    key: Style::new().add_modifier(Modifier::BOLD),
    header_name: Style::new().add_modifier(Modifier::BOLD),
    ok: Style::new().add_modifier(Modifier::BOLD),
    bad: Style::new().add_modifier(Modifier::BOLD),
    warn: Style::new().add_modifier(Modifier::BOLD),
    tab_selected: Style::new()
        .add_modifier(Modifier::REVERSED)
        .add_modifier(Modifier::BOLD),
    status: Style::new().add_modifier(Modifier::REVERSED),
    banner_ok: Style::new().add_modifier(Modifier::REVERSED.union(Modifier::BOLD)),
    banner_bad: Style::new().add_modifier(Modifier::REVERSED.union(Modifier::BOLD)),
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

    #[test]
    fn mono_uses_no_colour() {
        let t = MONO;
        for s in [
            t.base,
            t.dim,
            t.bold,
            t.front,
            t.back,
            t.observed,
            t.attacker,
            t.learner,
            t.ok,
            t.bad,
            t.warn,
            t.current,
            t.key,
            t.banner_ok,
            t.banner_bad,
            t.changed,
        ] {
            assert_eq!(s.fg, None);
            assert_eq!(s.bg, None);
        }
    }

    #[test]
    fn colour_theme_sets_no_background() {
        let t = COLOR;
        for s in [
            t.base,
            t.front,
            t.back,
            t.attacker,
            t.current,
            t.banner_ok,
            t.status,
        ] {
            assert_eq!(s.bg, None);
        }
    }
}
