//! The help screen's text: every key of the key map ([`super::action::map_key`]),
//! grouped under headings.

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
