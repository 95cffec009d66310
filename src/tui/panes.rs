//! The panes that can have the focus, and the inspector's tabs.

/// A pane that can have the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Diagram,
    Inspector,
    Intercept,
    /// The lesson pane (lesson mode).
    Lesson,
    /// The "What happened" pane (it scrolls when its text is longer than the pane).
    Narration,
}

/// The inspector's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Raw,
    Params,
    Tokens,
    Pkce,
    State,
}

impl Tab {
    pub const ALL: [Tab; 5] = [Tab::Raw, Tab::Params, Tab::Tokens, Tab::Pkce, Tab::State];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Raw => "Raw",
            Tab::Params => "Params",
            Tab::Tokens => "Tokens",
            Tab::Pkce => "PKCE",
            Tab::State => "State",
        }
    }

    /// The title on a narrow tab bar.
    pub fn short_title(self) -> &'static str {
        match self {
            Tab::Raw => "Raw",
            Tab::Params => "Par",
            Tab::Tokens => "Tok",
            Tab::Pkce => "PKCE",
            Tab::State => "State",
        }
    }

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}
