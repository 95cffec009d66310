//! The goal banner: the catalog's goal predicates watched on the UI's world
//! ([`crate::workshop::GoalWatch`]); the first that holds, and from which step.

use crate::attacks::{self, Attack};
use crate::tui::app::App;
use crate::workshop::{GoalWatch, run_watching};

use super::state::GoalBanner;

/// The goals watched: a challenge's, else every goal of the catalog.
pub fn watched(app: &App) -> Vec<&'static dyn Attack> {
    match &app.challenge {
        Some(c) => c.challenge.goals.clone(),
        None => attacks::catalog().to_vec(),
    }
}

/// Brings the goal up to date with the world: after one new step, the predicates are
/// evaluated on the world as it is now; after anything else (a rebuild, a run to the
/// end), the world is replayed from its description with the predicates evaluated
/// after every step, so the step is the first at which the goal held. Only a workshop
/// world (one with an attacker position) is watched.
pub fn refresh(app: &mut App) {
    if app.timeline.spec.workshop.is_none() {
        app.console.goal = None;
        app.console.goal_of = None;
        return;
    }
    let now = (app.timeline.generation, app.timeline.len());
    let before = app.console.goal_of;
    if before == Some(now) {
        return;
    }
    app.console.goal_of = Some(now);
    let goals = watched(app);
    let one_more = before.is_some_and(|(g, len)| g == now.0 && len + 1 == now.1);
    if one_more {
        if app.console.goal.is_none() {
            let mut watch = GoalWatch::new(goals);
            app.console.goal = watch.observe(app.timeline.sim()).cloned().map(Into::into);
        }
        return;
    }
    let spec = &app.timeline.spec;
    let watched = run_watching(spec.build(), &spec.inputs, now.1, goals);
    app.console.goal = watched.hit.map(Into::into);
}

/// The goal to show at the selected step: reached at or before it.
pub fn shown(app: &App) -> Option<&GoalBanner> {
    app.console.goal.as_ref().filter(|g| g.step <= app.cursor)
}
