//! A lesson's worlds, each run once to its end and kept (for `lessons check`).

use std::collections::BTreeMap;

use super::compile::Lesson;
use super::world::WorldRun;

/// Runs worlds once and keeps them.
#[derive(Default)]
pub struct Runs {
    runs: BTreeMap<usize, WorldRun>,
}

impl Runs {
    pub fn get(&mut self, lesson: &Lesson, world: usize) -> &WorldRun {
        self.runs
            .entry(world)
            .or_insert_with(|| lesson.worlds[world].run())
    }
}
