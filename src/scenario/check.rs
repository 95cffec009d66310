//! Replaying a scenario's inputs one by one: each must apply at its step, and the
//! selected step and the bookmarks must name steps the run reaches.

use super::model::Scenario;
use crate::actors::defenses::DefenseError;
use crate::sim::LearnerInput;
use crate::sim::simulation::InputError;
use crate::world::MAX_STEPS;

/// Something in a scenario the world does not take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The input at this index (in file order) does not apply; `key` is the key of the
    /// input the problem is about (`at`, `id`, `wire`, `step`), if there is one.
    Input {
        index: usize,
        key: Option<&'static str>,
        message: String,
    },
    /// The selected step is past the end of the run.
    Selected(String),
    /// The bookmark at this index names a step past the end of the run.
    Bookmark { index: usize, message: String },
}

/// The scenario's problems, replaying its world as the UI does: the run is taken to
/// each input's step, the input applied, and so on; after the inputs, to its end. The
/// first input that does not apply stops the check (the run after it would differ).
pub fn check(s: &Scenario) -> Vec<Problem> {
    let mut sim = s.world.build();
    for (index, (at, input)) in s.world.inputs.iter().enumerate() {
        sim.run_to_len(*at);
        let len = sim.trace().steps.len();
        // A live recording may hold steps its replay does not make (a listener's
        // refusal before any party saw the request): its inputs apply when the replay
        // has nothing left to do, as `Simulation::replay_inputs` applies them.
        let (key, message) = if len < *at && s.world.live.is_none() {
            let why =
                format!("this input is made at step {at}, but the world stops after {len} steps");
            ("at", why)
        } else if let Err(e) = sim.apply(input.clone()) {
            let move_key = |k| match input {
                LearnerInput::AttackerMove { .. } => k,
                _ => "wire",
            };
            let key = match e {
                InputError::NotHeld(_) => "id",
                InputError::Parse(_) => move_key("text"),
                InputError::NoMessage(_) => "step",
                InputError::NoActor(_) if matches!(input, LearnerInput::AttackerMove { .. }) => {
                    "by"
                }
                InputError::NoActor(_) => "to",
                InputError::NotAttacker(_) => "by",
                InputError::NoSuchStop(_) => "text",
                InputError::Defense(DefenseError::BadValue { .. }) => "value",
                InputError::Defense(_) => "name",
                InputError::NotSent(..) => "from",
            };
            (key, format!("this input does not apply at step {at}: {e}"))
        } else {
            continue;
        };
        return vec![Problem::Input {
            index,
            key: Some(key),
            message,
        }];
    }
    sim.run_to_len(MAX_STEPS);
    let len = sim.trace().steps.len();
    let past_end = |step: usize| {
        (step >= len).then(|| {
            format!(
                "step {step} is past the end of the run (it has {len} steps, 0–{})",
                len.saturating_sub(1)
            )
        })
    };
    let mut problems: Vec<Problem> = past_end(s.selected)
        .map(Problem::Selected)
        .into_iter()
        .collect();
    for (index, b) in s.bookmarks.iter().enumerate() {
        if let Some(message) = past_end(b.step) {
            problems.push(Problem::Bookmark { index, message });
        }
    }
    problems
}
