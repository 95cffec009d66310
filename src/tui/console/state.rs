//! The console's state: its pane, its windows, the goal reached, and the actions its
//! keys ask for.

use super::compose::Compose;
use crate::attacks;
use crate::tui::editor::EditKey;
use crate::workshop::GoalHit;

/// The console pane's two lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Section {
    /// What the position has received.
    #[default]
    Loot,
    /// The move templates.
    Compose,
}

/// The console pane's state (it is drawn in place of the inspector while open).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Console {
    pub open: bool,
    pub section: Section,
    /// The selected artifact in Loot.
    pub loot_selected: usize,
    /// The selected template in Compose.
    pub template_selected: usize,
    /// The goal the world has reached, when one has (refreshed after every action).
    pub goal: Option<GoalBanner>,
    /// The world (generation, steps) the goal was last computed for.
    pub goal_of: Option<(u64, usize)>,
}

/// A console window over the panes.
#[derive(Debug, Clone, PartialEq)]
pub enum Window {
    /// Choosing the attacker's position.
    Positions { selected: usize },
    /// Composing a move: its fields, its raw HTTP in the editor.
    Compose(Box<Compose>),
    /// A challenge's briefing, with the hints shown so far.
    Briefing { scroll: u16 },
    /// "This hint costs N points: show it?"
    HintAsk,
    /// A solved challenge's debrief.
    Debrief { scroll: u16 },
}

/// What the console's keys ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsoleAction {
    /// `A`: open the console (the position picker first), or close it.
    Toggle,
    /// `P`: choose another position (a new world, without inputs).
    ChoosePosition,
    /// Show Loot or Compose.
    Section(Section),
    /// Move the selection in the open list.
    Move(i32),
    /// Enter: pick the position, open the template, or go to the artifact's step.
    Activate,
    /// An editing key in the compose window.
    Edit(EditKey),
    /// Select the next (positive) or previous field of the template.
    Field(i32),
    /// Open the loot picker for the selected field (Enter in it fills the field).
    Pick,
    /// Type a value for the selected field (Enter sets it).
    TypeField,
    /// Rewrite the raw HTTP from the template and its fields.
    Reset,
    /// Set Content-Length to the body's size.
    FixLength,
    /// Send the composed move.
    Send,
    /// Close the console window.
    Close,
    /// Scroll the open window.
    Scroll(i32),
    /// `B`: the challenge's briefing.
    Briefing,
    /// `H`: ask for the next hint (it costs points: a question first).
    Hint,
    /// Yes to "show the hint?".
    HintYes,
    /// `D`: the debrief of a solved challenge.
    Debrief,
    /// In the debrief: the fixed deployment with the learner's moves replayed.
    ShowFixed,
}

impl ConsoleAction {
    /// Whether the action changes the world (refused where the world is locked).
    pub fn changes_world(&self) -> bool {
        matches!(
            self,
            ConsoleAction::Send | ConsoleAction::ChoosePosition | ConsoleAction::ShowFixed
        )
    }
}

/// A goal the world has reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalBanner {
    /// The catalog attack whose goal it is, and its title.
    pub goal: String,
    pub title: String,
    /// What the attacker achieved, in the predicate's words.
    pub what: String,
    /// The step after which it first held.
    pub step: usize,
}

impl From<GoalHit> for GoalBanner {
    fn from(h: GoalHit) -> Self {
        let title = attacks::find(h.goal).map_or(h.goal, |a| a.info().title);
        GoalBanner {
            goal: h.goal.to_string(),
            title: title.to_string(),
            what: h.what,
            step: h.step,
        }
    }
}
