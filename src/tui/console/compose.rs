//! Composing one attacker move: a template from [`crate::workshop::Template`], its
//! fields filled by picking artifacts from loot, and its raw HTTP in the editor. The
//! raw text is what is sent; the learner may change anything in it.
//!
//! A required field that is still empty is shown in the text as `__name__`; sending
//! while it is there is refused with the template's own error, which names the field.

use std::collections::BTreeMap;

use crate::sim::MsgId;
use crate::tui::editor::Editor;
use crate::workshop::{Artifact, ArtifactKind, Loot, Move, MoveError, MoveKind, Template};

/// One thing the picker offers for a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pickable {
    /// What it is (`code`, `url`, `message`, …).
    pub kind: String,
    pub value: String,
    /// The step it arrived at.
    pub step: usize,
    /// Whether its kind is what the field asks for.
    pub fits: bool,
}

/// The compose window's state.
#[derive(Debug, Clone, PartialEq)]
pub struct Compose {
    pub template: Template,
    /// The attacker's actor that makes the move.
    pub by: String,
    /// Values picked from loot (with the step each came from) or typed, by field name.
    pub values: BTreeMap<String, (String, Option<usize>)>,
    /// The selected field (an index into the template's fields).
    pub field: usize,
    /// The raw text (the editor's `msg` is unused here: a move is no held message).
    pub editor: Editor,
    /// The kind of move the text is (a request sent, a response Alice is lured to, …).
    pub kind: MoveKind,
    /// The picker's selection, while it is open.
    pub picker: Option<usize>,
    /// What the picker offers for the selected field (filled when it opens).
    pub pickables: Vec<Pickable>,
    /// A value being typed for the selected field, while there is one.
    pub typing: Option<String>,
}

/// The placeholder of an empty required field in the raw text.
pub fn placeholder(name: &str) -> String {
    format!("__{name}__")
}

impl Compose {
    /// A new move from `template`, made by `by`, with nothing picked yet.
    pub fn new(template: Template, by: &str) -> Self {
        let mut c = Compose {
            template,
            by: by.to_string(),
            values: BTreeMap::new(),
            field: 0,
            editor: Editor::new(MsgId(0), ""),
            kind: MoveKind::Send,
            picker: None,
            pickables: Vec::new(),
            typing: None,
        };
        c.render();
        c
    }

    /// The fields' values as the template takes them.
    fn plain_values(&self) -> BTreeMap<String, String> {
        (self.values.iter())
            .map(|(k, (v, _))| (k.clone(), v.clone()))
            .collect()
    }

    /// The first required field still empty (no value picked, no default).
    pub fn missing(&self) -> Option<MoveError> {
        self.template.render(&self.by, &self.plain_values()).err()
    }

    /// Rewrites the raw text from the template and the fields (empty required fields
    /// as placeholders). When even that does not render (a field that must be a URL or
    /// a whole message), the text is left empty and the error says what to pick.
    pub fn render(&mut self) {
        let mut values = self.plain_values();
        for f in self.template.fields() {
            if f.required && f.default.is_none() && !values.contains_key(f.name) {
                values.insert(f.name.to_string(), placeholder(f.name));
            }
        }
        match self.template.render(&self.by, &values) {
            Ok(m) => {
                self.kind = m.kind;
                self.editor = Editor::new(MsgId(0), &m.text);
            }
            Err(_) => self.editor = Editor::new(MsgId(0), ""),
        }
    }

    /// The move the raw text makes now: an error while a required field is empty and
    /// its placeholder is still in the text, or while the text does not parse as what
    /// the move needs.
    pub fn to_move(&self) -> Result<Move, String> {
        let text = self.editor.wire();
        if let Some(e) = self.missing()
            && let MoveError::Missing(name) = &e
            && (text.contains(&placeholder(name)) || text.trim().is_empty())
        {
            return Err(missing_words(&e));
        }
        let m = Move {
            by: self.by.clone(),
            kind: self.kind,
            text,
        };
        m.check().map_err(|e| e.to_string())?;
        Ok(m)
    }

    /// Selects the next (or previous) field, wrapping around.
    pub fn next_field(&mut self, d: i32) {
        let n = self.template.fields().len().max(1) as i64;
        self.field = (self.field as i64 + d as i64).rem_euclid(n) as usize;
    }

    /// The selected field's name.
    pub fn field_name(&self) -> &'static str {
        self.template
            .fields()
            .get(self.field)
            .map_or("", |f| f.name)
    }

    /// Opens the picker on what `loot` offers for the selected field: what fits first
    /// (an artifact of the field's kind; a captured message for `message`), then the
    /// rest.
    pub fn open_picker(&mut self, loot: &Loot) {
        self.pickables = pickables(loot, self.field_name());
        self.picker = Some(0);
    }

    /// Fills the selected field with the picked value and rewrites the text.
    pub fn pick(&mut self, i: usize) -> Option<&Pickable> {
        let p = self.pickables.get(i)?.clone();
        self.values.insert(
            self.field_name().to_string(),
            (p.value.clone(), Some(p.step)),
        );
        self.picker = None;
        self.render();
        self.pickables.get(i)
    }

    /// Starts typing a value for the selected field (from its current value).
    pub fn start_typing(&mut self) {
        let now = self.values.get(self.field_name()).map(|(v, _)| v.clone());
        self.typing = Some(now.unwrap_or_default());
    }

    /// Sets the selected field to the typed value (an empty one clears it) and rewrites
    /// the text.
    pub fn finish_typing(&mut self) {
        let Some(v) = self.typing.take() else { return };
        let name = self.field_name().to_string();
        if v.trim().is_empty() {
            self.values.remove(&name);
        } else {
            self.values.insert(name, (v, None));
        }
        self.render();
    }
}

/// The error of an empty field, and how to fill it.
fn missing_words(e: &MoveError) -> String {
    format!("{e}: pick it from loot (Ctrl-F) or type it in the text")
}

/// What an artifact's kind is called in the picker.
fn kind_name(k: ArtifactKind) -> &'static str {
    k.field()
}

/// Whether an artifact fills a field of this name.
fn fits(a: &Artifact, field: &str) -> bool {
    a.kind.field() == field
        || (field == "redirect_uri" && a.kind == ArtifactKind::Url)
        || (field == "url" && a.kind == ArtifactKind::Url)
}

/// What the picker offers for `field`: for `message`, the captured messages; else the
/// artifacts, those that fit first (each in step order).
pub fn pickables(loot: &Loot, field: &str) -> Vec<Pickable> {
    if field == "message" {
        return (loot.copies.iter())
            .map(|c| Pickable {
                kind: "message".into(),
                value: c.wire.clone(),
                step: c.step,
                fits: !crate::protocol::http_wire::looks_like_response(&c.wire),
            })
            .collect();
    }
    let all = loot.artifacts.iter().map(|a| Pickable {
        kind: kind_name(a.kind).to_string(),
        value: a.value.clone(),
        step: a.step,
        fits: fits(a, field),
    });
    let (mut fit, rest): (Vec<_>, Vec<_>) = all.partition(|p| p.fits);
    fit.extend(rest);
    fit
}

/// What a template does, in plain words.
pub fn title(t: Template) -> &'static str {
    match t {
        Template::RedeemCode => "redeem a code at a token endpoint (RFC 6749 §4.1.3)",
        Template::Refresh => "use a refresh token (RFC 6749 §6)",
        Template::CallApi => "call the photo API with a bearer token (RFC 6750 §2.1)",
        Template::SendLink => "send Alice a link: she follows it",
        Template::SendPage => "send Alice a page you wrote",
        Template::OwnLogin => "start Mallory's own sign-in and stop it",
        Template::InjectCallback => "open Photo Printer's callback with a code",
        Template::Replay => "send a captured request again",
    }
}

/// What the raw text of a move is, in plain words.
pub fn kind_words(k: MoveKind) -> &'static str {
    match k {
        MoveKind::Send => "the request the attacker sends",
        MoveKind::Lure => "the response Alice's browser gets from the attacker's site",
        MoveKind::OwnLogin => "where Mallory's sign-in stops: authorize or callback",
        MoveKind::MalloryOpens => "the URL Mallory's own browser opens",
    }
}
