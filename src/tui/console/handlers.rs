//! What the console's actions do. Like every handler: no I/O, no threads; saving a
//! challenge's progress is queued as a task.

use super::compose::Compose;
use super::state::{ConsoleAction as C, Section, Window};
use super::world::{loot, position};
use super::{challenge_handlers, goal};
use crate::terminal_text::one_line;
use crate::tui::app::{App, Level, Overlay};
use crate::tui::editor::EditKey;
use crate::tui::nav::select;
use crate::tui::world_changes::load;
use crate::workshop::{Position, Setting, Template};

fn window(app: &mut App) -> Option<&mut Window> {
    match &mut app.overlay {
        Some(Overlay::Console(w)) => Some(w),
        _ => None,
    }
}

fn open(app: &mut App, w: Window) {
    app.overlay = Some(Overlay::Console(w));
}

/// Applies one console action.
pub fn apply(app: &mut App, action: C) {
    match action {
        C::Toggle => toggle(app),
        C::ChoosePosition => {
            let selected = position(app)
                .and_then(|p| Position::ALL.iter().position(|q| *q == p))
                .unwrap_or(0);
            open(app, Window::Positions { selected });
        }
        C::Section(s) => {
            app.console.section = s;
        }
        C::Move(d) => move_selection(app, d),
        C::Activate => activate(app),
        C::Edit(k) => {
            if let Some(Window::Compose(c)) = window(app) {
                if let Some(v) = &mut c.typing {
                    match k {
                        EditKey::Char(ch) => v.push(ch),
                        EditKey::Backspace => drop(v.pop()),
                        _ => {}
                    }
                    return;
                }
                c.editor.error = None;
                c.editor.error_line = None;
                c.editor.key(k);
            }
        }
        C::Field(d) => {
            if let Some(Window::Compose(c)) = window(app) {
                c.next_field(d);
            }
        }
        C::TypeField => {
            if let Some(Window::Compose(c)) = window(app) {
                c.picker = None;
                c.start_typing();
            }
        }
        C::Pick => {
            let loot = loot(app);
            if let Some(Window::Compose(c)) = window(app) {
                c.open_picker(&loot);
            }
        }
        C::Reset => {
            if let Some(Window::Compose(c)) = window(app) {
                c.render();
            }
        }
        C::FixLength => {
            if let Some(Window::Compose(c)) = window(app) {
                c.editor.fix_content_length();
                c.editor.validate();
            }
        }
        C::Send => send(app),
        C::Close => close(app),
        C::Scroll(d) => {
            if let Some(Window::Briefing { scroll } | Window::Debrief { scroll }) = window(app) {
                *scroll = (*scroll as i32 + d).clamp(0, 500) as u16;
            }
        }
        C::Briefing => open(app, Window::Briefing { scroll: 0 }),
        C::Hint => challenge_handlers::ask_hint(app),
        C::HintYes => challenge_handlers::show_hint(app),
        C::Debrief => challenge_handlers::open_debrief(app),
        C::ShowFixed => challenge_handlers::show_fixed(app),
    }
}

/// Pasted text goes into the compose window's editor, as one edit.
pub fn paste(app: &mut App, text: &str) {
    if let Some(Window::Compose(c)) = window(app) {
        c.editor.error = None;
        c.editor.error_line = None;
        c.editor.paste(text);
    }
}

/// `A`: the position picker when the world has no attacker position yet, else the
/// pane opens or closes.
fn toggle(app: &mut App) {
    if position(app).is_none() {
        if app.challenge.is_some() {
            return;
        }
        open(app, Window::Positions { selected: 0 });
        return;
    }
    app.console.open = !app.console.open;
    if app.console.open {
        // The console takes the inspector's place: it needs the full layout.
        app.presenter = false;
        let n = loot(app).artifacts.len();
        app.notify(
            Level::Info,
            format!(
                "Attacker console: you are {}. Loot so far: {n} artifact(s). 2 composes a move; A closes the console.",
                position(app).map_or("", |p| p.describe())
            ),
        );
    }
}

fn close(app: &mut App) {
    match window(app) {
        Some(Window::Compose(c)) if c.picker.is_some() => c.picker = None,
        Some(Window::Compose(c)) if c.typing.is_some() => c.typing = None,
        Some(_) => app.overlay = None,
        None => {}
    }
}

fn move_selection(app: &mut App, d: i32) {
    let wrap = |sel: usize, n: usize| -> usize {
        if n == 0 {
            0
        } else {
            (sel as i64 + d as i64).rem_euclid(n as i64) as usize
        }
    };
    let n_loot = loot(app).artifacts.len();
    match window(app) {
        Some(Window::Positions { selected }) => *selected = wrap(*selected, Position::ALL.len()),
        Some(Window::Compose(c)) => {
            if let Some(p) = c.picker {
                c.picker = Some(wrap(p, c.pickables.len()));
            }
        }
        Some(_) => {}
        None => match app.console.section {
            Section::Loot => app.console.loot_selected = wrap(app.console.loot_selected, n_loot),
            Section::Compose => {
                app.console.template_selected =
                    wrap(app.console.template_selected, Template::ALL.len())
            }
        },
    }
}

fn activate(app: &mut App) {
    match window(app) {
        Some(Window::Positions { selected }) => {
            let p = Position::ALL[(*selected).min(Position::ALL.len() - 1)];
            choose_position(app, p);
        }
        Some(Window::Compose(c)) if c.typing.is_some() => c.finish_typing(),
        Some(Window::Compose(c)) => {
            if let Some(i) = c.picker {
                let field = c.field_name();
                if let Some(p) = c.pick(i) {
                    let text = format!(
                        "`{field}` is the {} from step {}: the raw text is written again from the template.",
                        p.kind, p.step
                    );
                    app.notify(Level::Info, text);
                }
            }
        }
        Some(_) => {}
        None => match app.console.section {
            Section::Loot => {
                let loot = loot(app);
                if let Some(a) = loot.artifacts.get(app.console.loot_selected) {
                    let step = a.step;
                    select(app, step);
                    app.notify(
                        Level::Info,
                        format!(
                            "Step {step}: where the {} arrived. 2 composes a move that uses it (Ctrl-F picks it).",
                            a.kind.field()
                        ),
                    );
                }
            }
            Section::Compose => {
                let t = Template::ALL[app.console.template_selected.min(Template::ALL.len() - 1)];
                let Some(p) = position(app) else { return };
                open(app, Window::Compose(Box::new(Compose::new(t, p.actor()))));
            }
        },
    }
}

/// A new world with the attacker at `p` (same seed and defenses, no inputs).
fn choose_position(app: &mut App, p: Position) {
    let mut spec = app.timeline.spec.with_attack(None);
    spec.workshop = Some(Setting::from(p));
    load(app, spec);
    app.overlay = None;
    app.console = super::Console {
        open: true,
        ..Default::default()
    };
    app.presenter = false;
    app.notify(
        Level::Changed,
        format!(
            "You are {}. Step with → and watch Loot fill; 2 composes a move from a template.",
            p.describe()
        ),
    );
}

/// Sends the composed move: a learner input applied after the selected step (the
/// steps after it, if any, are cut: a branch), then one step so that it goes out.
fn send(app: &mut App) {
    let Some(Window::Compose(c)) = window(app) else {
        return;
    };
    let input = match c
        .to_move()
        .and_then(|m| m.to_input().map_err(|e| e.to_string()))
    {
        Ok(i) => i,
        Err(e) => {
            // The move stays in the editor with its error.
            c.editor.error = Some(e);
            c.editor.error_line = None;
            return;
        }
    };
    let at = app.cursor + 1;
    let branched = at < app.timeline.len();
    if let Err(e) = app.timeline.apply_at(at, input) {
        if let Some(Window::Compose(c)) = window(app) {
            c.editor.error = Some(e.to_string());
        }
        return;
    }
    app.overlay = None;
    app.timeline.advance();
    let last = app.timeline.len().saturating_sub(1);
    select(app, last);
    let mut text = format!(
        "Sent as the attacker's move (step {last}). The honest parties answer with their own code: step on with →."
    );
    if branched {
        text.push_str(&format!(
            " The steps after {} were replaced: this is a new branch of the run.",
            at - 1
        ));
    }
    app.notify(Level::Changed, one_line(&text).into_owned());
}

/// After every action: the goal banner, and a challenge solved.
pub fn refresh(app: &mut App) {
    goal::refresh(app);
    challenge_handlers::refresh(app);
}
