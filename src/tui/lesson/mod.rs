//! Lesson mode: the UI follows a lesson ([`crate::lesson::LessonRun`]) part by part.
//!
//! The lesson leads: its pane shows the current part, the diagram and the inspector show
//! the part's world (built from the same seed and defenses as the lesson's live
//! simulation, so the trace is the same, step for step) and highlight the steps the part
//! is about. A prediction waits for an answer and the learner cannot step past the step
//! it asks about; a try hands the world to the learner and recognises, with
//! [`crate::lesson::LessonRun::try_status`] on the UI's own world, when it has been done.
//!
//! - [`library`]: the lessons on offer and the learner's progress (state);
//! - [`state`]: the lesson being followed and its current part (state);
//! - [`handlers`]: what the lesson keys do (they change the state above).

pub mod handlers;
pub mod library;
pub mod state;

pub use handlers::start_lesson;
pub use library::Library;
pub use state::{LessonMode, Phase, ui_spec};
