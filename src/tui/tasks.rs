//! The event loop's task runner. Handlers do no I/O and start no thread: they queue
//! [`Task`]s in `app.tasks`, and the loop hands them here after each action. Progress
//! is saved at once (a failure becomes a notice); background work runs on a thread
//! whose results come back as actions.

use tokio::sync::mpsc;

use super::action::Action;
use super::app::{App, Level, Task};
use super::attacks;
use crate::terminal_text::one_line;

/// Carries out every queued task: the saves first, then the background work.
pub fn run_queued(app: &mut App, tx: &mpsc::UnboundedSender<Action>) {
    perform_saves(app);
    for task in std::mem::take(&mut app.tasks) {
        start(task, tx);
    }
}

/// Saves the progress queued by the handlers, in the library's progress store, and
/// leaves the other tasks queued. A failure is shown as a notice. (Tests, which have
/// no event loop, call this directly.)
pub fn perform_saves(app: &mut App) {
    let tasks = std::mem::take(&mut app.tasks);
    for task in tasks {
        match task {
            Task::SaveProgress(p) => {
                let Some(store) = &app.library.store else {
                    continue;
                };
                match store.save(&p) {
                    Ok(()) => app.library.save_error = None,
                    Err(e) => {
                        let msg = format!(
                            "Could not save your progress in {}: {e}",
                            store.dir().display()
                        );
                        app.library.save_error = Some(e.to_string());
                        app.notify(Level::Problem, msg);
                    }
                }
            }
            Task::ExportAll { dir, spec } => {
                let (level, msg) = match crate::export::folder::write_all(&spec, &dir) {
                    Ok(folder) => {
                        let folder = one_line(&folder.display().to_string()).into_owned();
                        let n = crate::export::folder::FILES.len();
                        (
                            Level::Changed,
                            format!("Exported {n} formats to {folder}/."),
                        )
                    }
                    Err(e) => {
                        let dir = one_line(&dir.display().to_string()).into_owned();
                        (Level::Problem, format!("Could not export to {dir}: {e}"))
                    }
                };
                app.notify(level, msg);
            }
            Task::SaveScenario { dir, scenario } => {
                let (level, msg) = match crate::scenario::save::save_new(&dir, &scenario) {
                    Ok(path) => {
                        let path = one_line(&path.display().to_string()).into_owned();
                        let msg = format!(
                            "Scenario saved: {path} (reopen it with `oauth-lab tui --scenario {path}`)."
                        );
                        (Level::Changed, msg)
                    }
                    Err(e) => {
                        let dir = one_line(&dir.display().to_string()).into_owned();
                        (
                            Level::Problem,
                            format!("Could not save the scenario in {dir}: {e}"),
                        )
                    }
                };
                app.notify(level, msg);
            }
            Task::SaveChallenge(p) => {
                let Some(store) = &app.library.store else {
                    continue;
                };
                if let Err(e) = store.save_record(&p) {
                    let msg = format!(
                        "Could not save your challenge progress in {}: {e}",
                        one_line(&store.dir().display().to_string())
                    );
                    app.notify(Level::Problem, msg);
                }
            }
            other => app.tasks.push(other),
        }
    }
}

/// Starts one background task; its results arrive on `tx` as actions.
fn start(task: Task, tx: &mpsc::UnboundedSender<Action>) {
    match task {
        Task::ComputeMatrix { seed } => {
            let tx = tx.clone();
            std::thread::spawn(move || {
                attacks::compute_matrix(seed, |cell| tx.send(Action::MatrixCell(cell)).is_ok());
                let _ = tx.send(Action::MatrixDone);
            });
        }
        // Saved by `perform_saves` before the background work starts.
        Task::SaveProgress(_)
        | Task::SaveScenario { .. }
        | Task::ExportAll { .. }
        | Task::SaveChallenge(_) => {}
    }
}
