//! The help screen's text: every key of the key map ([`super::action::map_key`]),
//! grouped under headings; and live mode's keys ([`LIVE_KEYS`]), which are also what
//! live mode's handlers let through, so its help lists exactly the keys that act.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Every key, for the help screen: (keys, what they do), grouped under headings.
pub const HELP: &[(&str, &[(&str, &str)])] = &[
    (
        "Step through the flow",
        &[
            ("→  l", "next step (a new message is delivered at the end)"),
            (
                "←  h",
                "previous step (instant: the world is replayed from its seed)",
            ),
            (
                "↓ ↑  j k",
                "next / previous in the diagram; scroll in other panes",
            ),
            ("Home g  End G", "first step / run to the end"),
            ("space", "play / pause"),
            ("+  -", "play faster / slower"),
            ("c", "jump to the step that changed at the last re-run"),
            ("mouse", "click a step to select it; wheel scrolls"),
        ],
    ),
    (
        "Inspect",
        &[
            ("Tab  Shift-Tab", "move focus between panes"),
            (
                "1 2 3 4 5",
                "inspector tab: Raw, Params, Tokens, PKCE, State",
            ),
            ("[  ]", "previous / next inspector tab"),
            ("PgUp PgDn", "scroll the focused pane"),
            (
                "Tab, ↓ ↑",
                "scroll “What happened” when its text is longer than the pane",
            ),
        ],
    ),
    (
        "Change the world",
        &[
            (
                "d",
                "defense panel: toggle any defense; the flow re-runs from the seed",
            ),
            ("p", "cycle profiles: naive → rfc6749 → bcp"),
            (
                "t  T",
                "advance the simulated clock +1 min / +10 min (at the selected step)",
            ),
            (
                "a",
                "attack picker (inside it, h goes back to the happy path)",
            ),
            (
                "m",
                "attack × profile matrix (computed in the background); Enter launches",
            ),
        ],
    ),
    (
        "Intercept (do by hand what attacks do)",
        &[
            (
                "i",
                "intercept mode on/off: messages are held at the bus before delivery",
            ),
            ("f", "forward the selected held message"),
            ("w", "forward every held message (intercept stays on)"),
            (
                "o",
                "hold only messages to the next actor (cycles; back to everyone)",
            ),
            (
                "u",
                "run to step N: type N, Enter (forwards held messages on the way)",
            ),
            ("x", "drop the selected held message"),
            ("e", "edit the held message's raw HTTP text in an editor"),
            (
                "  Ctrl-S",
                "in the editor: send (a parse error is shown; the message stays held)",
            ),
            (
                "  Ctrl-L",
                "in the editor: set Content-Length to the body's size",
            ),
            ("  Esc", "in the editor: cancel (the message stays held)"),
            ("r", "replay the selected step's message"),
        ],
    ),
    (
        "Attacker console (you play the attacker)",
        &[
            (
                "A",
                "open / close the console (first: choose your RFC 9700 §3 position)",
            ),
            ("1  2  [ ]", "in the console: Loot / Compose"),
            (
                "↑↓  Enter",
                "choose; Enter on loot selects its step, on a template composes a move",
            ),
            ("P", "choose another position (a new world)"),
            ("  Tab", "in the compose window: next field"),
            (
                "  Ctrl-F",
                "in the compose window: fill the field from loot",
            ),
            ("  Ctrl-E", "in the compose window: type the field's value"),
            (
                "  Ctrl-S",
                "in the compose window: send (an error keeps the move in the editor)",
            ),
            (
                "  Ctrl-R",
                "in the compose window: write the text again from the template",
            ),
            (
                "B  H  D",
                "in a challenge: briefing / hint (costs points) / debrief (once solved)",
            ),
            (
                "S",
                "in a challenge: save your moves as a solution (graded by `challenge check`)",
            ),
        ],
    ),
    (
        "Lessons (a guided course; `oauth-lab learn N` opens one)",
        &[
            (
                "L",
                "lesson list with your progress: Enter starts or resumes one",
            ),
            ("Enter", "in a lesson: continue to the next part"),
            ("1-9  a-z", "answer the waiting prediction or quiz"),
            ("Backspace", "back to the previous part"),
            ("h  s", "in a “Your turn” part: hint / skip"),
            (
                "↓ ↑  PgDn PgUp",
                "scroll the lesson pane (when it has the focus; Tab)",
            ),
            ("L then x", "leave the lesson and explore freely"),
        ],
    ),
    (
        "Screen",
        &[
            ("F", "presenter mode: fewer panes, larger narration"),
            (
                "S",
                "save this world (inputs, selected step) as a scenario file; the notice names it",
            ),
            (
                "E",
                "export this world as Mermaid, PlantUML, Markdown, SVG and HTML; the notice names the folder",
            ),
            ("?", "this help"),
            ("Esc", "close a window"),
            ("q  Ctrl-C", "quit"),
        ],
    ),
];

/// Where a live key acts: the main screen or one of its windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveWindow {
    Screen,
    Defenses,
    Editor,
    Help,
}

/// One row of live mode's help: the keys as the help writes them, what they do, where,
/// and the key presses they are (none for the mouse).
#[derive(Debug)]
pub struct LiveKey {
    pub keys: &'static str,
    pub what: &'static str,
    pub window: LiveWindow,
    pub presses: &'static [KeyEvent],
}

const fn press(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

const fn char_key(c: char) -> KeyEvent {
    press(KeyCode::Char(c))
}

const fn ctrl_key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

const fn row(
    keys: &'static str,
    what: &'static str,
    window: LiveWindow,
    presses: &'static [KeyEvent],
) -> LiveKey {
    LiveKey {
        keys,
        what,
        window,
        presses,
    }
}

use LiveWindow::{Defenses as InDefenses, Editor as InEditor, Help as InHelp, Screen};

/// Every key live mode's UI handles, grouped under headings: its help shows these rows
/// and its handlers refuse, with a one-line reason, any key of the main screen not
/// listed here for [`LiveWindow::Screen`].
pub const LIVE_KEYS: &[(&str, &[LiveKey])] = &[
    (
        "Follow the traffic",
        &[
            row(
                "→  l   ←  h",
                "next / previous message; on the newest, the selection follows new traffic",
                Screen,
                &[
                    press(KeyCode::Right),
                    char_key('l'),
                    press(KeyCode::Left),
                    char_key('h'),
                ],
            ),
            row(
                "↓ ↑  j k",
                "next / previous in the diagram; scroll in other panes",
                Screen,
                &[
                    press(KeyCode::Down),
                    press(KeyCode::Up),
                    char_key('j'),
                    char_key('k'),
                ],
            ),
            row(
                "Home g  End G",
                "first message / newest message (following the traffic again)",
                Screen,
                &[
                    press(KeyCode::Home),
                    char_key('g'),
                    press(KeyCode::End),
                    char_key('G'),
                ],
            ),
            row(
                "mouse",
                "click a step to select it; wheel scrolls",
                Screen,
                &[],
            ),
        ],
    ),
    (
        "Inspect",
        &[
            row(
                "Tab  Shift-Tab",
                "move focus between panes",
                Screen,
                &[press(KeyCode::Tab), press(KeyCode::BackTab)],
            ),
            row(
                "1 2 3 4 5",
                "inspector tab: Raw, Params, Tokens, PKCE, State (every party's state now)",
                Screen,
                &[
                    char_key('1'),
                    char_key('2'),
                    char_key('3'),
                    char_key('4'),
                    char_key('5'),
                ],
            ),
            row(
                "[  ]",
                "previous / next inspector tab",
                Screen,
                &[char_key('['), char_key(']')],
            ),
            row(
                "PgUp PgDn",
                "scroll the focused pane",
                Screen,
                &[press(KeyCode::PageUp), press(KeyCode::PageDown)],
            ),
        ],
    ),
    (
        "Defenses (in force from the next request; nothing is re-run)",
        &[
            row("d", "defense panel", Screen, &[char_key('d')]),
            row(
                "↑↓  Space  ←→",
                "in the panel: choose / on-off (Space or Enter) / change the value",
                InDefenses,
                &[
                    press(KeyCode::Down),
                    press(KeyCode::Up),
                    char_key(' '),
                    press(KeyCode::Enter),
                    press(KeyCode::Right),
                    press(KeyCode::Left),
                ],
            ),
            row(
                "p",
                "cycle profiles: naive → rfc6749 → bcp",
                Screen,
                &[char_key('p')],
            ),
        ],
    ),
    (
        "Intercept (hold real requests before their party sees them)",
        &[
            row(
                "i",
                "intercept on/off (off forwards whatever is held)",
                Screen,
                &[char_key('i')],
            ),
            row(
                "<  >",
                "choose a held request",
                Screen,
                &[char_key('<'), char_key('>')],
            ),
            row(
                "f",
                "forward the chosen request as it is",
                Screen,
                &[char_key('f')],
            ),
            row(
                "e",
                "edit the chosen request's raw HTTP text, then send it",
                Screen,
                &[char_key('e')],
            ),
            row(
                "x",
                "drop the chosen request: its sender gets a 502",
                Screen,
                &[char_key('x')],
            ),
            row("w", "forward every held request", Screen, &[char_key('w')]),
            row(
                "o",
                "hold only requests to the next party (cycles; back to every party)",
                Screen,
                &[char_key('o')],
            ),
            row(
                "  Ctrl-S",
                "in the editor: send (a parse error is shown; the request stays held)",
                InEditor,
                &[ctrl_key('s')],
            ),
            row(
                "  Ctrl-L",
                "in the editor: set Content-Length to the body's size",
                InEditor,
                &[ctrl_key('l')],
            ),
            row(
                "  Esc",
                "in the editor: cancel (the request stays held)",
                InEditor,
                &[press(KeyCode::Esc)],
            ),
        ],
    ),
    (
        "Screen",
        &[
            row(
                "F",
                "presenter mode: fewer panes, larger narration",
                Screen,
                &[char_key('F')],
            ),
            row("?", "this help", Screen, &[char_key('?')]),
            row(
                "↑↓  PgUp PgDn",
                "in this help: scroll",
                InHelp,
                &[
                    press(KeyCode::Down),
                    press(KeyCode::Up),
                    press(KeyCode::PageDown),
                    press(KeyCode::PageUp),
                ],
            ),
            row(
                "Esc",
                "close a window; on the screen, clear the notice",
                Screen,
                &[press(KeyCode::Esc)],
            ),
            row("q  Ctrl-C", "quit", Screen, &[char_key('q'), ctrl_key('c')]),
        ],
    ),
];

/// Whether `key` is one of live mode's keys in `window` (same key, same Ctrl; Shift
/// is in the character itself).
pub fn live_handles(window: LiveWindow, key: &KeyEvent) -> bool {
    let ctrl = |k: &KeyEvent| k.modifiers.contains(KeyModifiers::CONTROL);
    LIVE_KEYS
        .iter()
        .flat_map(|(_, rows)| rows.iter())
        .filter(|r| r.window == window)
        .flat_map(|r| r.presses.iter())
        .any(|p| p.code == key.code && ctrl(p) == ctrl(key))
}

/// The help screen's sections: live mode's keys or the simulation's.
pub fn sections(live: bool) -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    if live {
        (LIVE_KEYS.iter())
            .map(|(h, rows)| (*h, rows.iter().map(|r| (r.keys, r.what)).collect()))
            .collect()
    } else {
        (HELP.iter()).map(|(h, rows)| (*h, rows.to_vec())).collect()
    }
}
