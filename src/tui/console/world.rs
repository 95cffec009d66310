//! What the world gives the attacker console: the attacker's position, and the loot
//! up to the selected step (read from the trace by [`crate::workshop::Loot`]).

use crate::tui::app::App;
use crate::workshop::{Loot, Position};

/// The loot of the world up to the selected step.
pub fn loot(app: &App) -> Loot {
    Loot::of(app.timeline.trace(), app.cursor + 1)
}

/// The position of the world, when it is a workshop world.
pub fn position(app: &App) -> Option<Position> {
    app.timeline.spec.workshop.as_ref().map(|s| s.position)
}
