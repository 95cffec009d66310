//! A small multi-line text editor for a held message's wire text. Lines are edited
//! without their `\r\n`; [`Editor::wire`] joins them back with CRLF (RFC 9112 §2.1).

use ratatui::crossterm::event::KeyCode;

use crate::protocol::http_wire;
use crate::sim::MsgId;

/// The largest message the editor holds: 1 MiB of wire text. A paste or a key that
/// would make it larger is refused with an inline error (a message that size is
/// already far beyond anything the simulated parties send).
pub const MAX_MESSAGE_BYTES: usize = 1 << 20;

/// `1 MiB`, `1.2 MiB`, `812 KiB`, `90 bytes`.
fn size_words(n: usize) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / f64::from(1u32 << 20)).replace(".0 ", " ")
    } else if n >= 1 << 10 {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// One editing key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKey {
    Char(char),
    Backspace,
    Delete,
    Enter,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
}

impl EditKey {
    /// The editing key a terminal key is, if it is one: a character, a deletion, Enter,
    /// an arrow, Home or End.
    pub fn from_code(code: KeyCode) -> Option<EditKey> {
        Some(match code {
            KeyCode::Char(c) => EditKey::Char(c),
            KeyCode::Backspace => EditKey::Backspace,
            KeyCode::Delete => EditKey::Delete,
            KeyCode::Enter => EditKey::Enter,
            KeyCode::Left => EditKey::Left,
            KeyCode::Right => EditKey::Right,
            KeyCode::Up => EditKey::Up,
            KeyCode::Down => EditKey::Down,
            KeyCode::Home => EditKey::Home,
            KeyCode::End => EditKey::End,
            _ => return None,
        })
    }
}

/// The editor's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editor {
    /// The held message being edited.
    pub msg: MsgId,
    pub lines: Vec<String>,
    /// Cursor: line, and column in characters.
    pub row: usize,
    pub col: usize,
    /// First line shown.
    pub top: usize,
    /// The parse error of the last attempt to send, shown inline.
    pub error: Option<String>,
    /// The line the error points at, when known.
    pub error_line: Option<usize>,
    /// Whether the message was a response when it was held (its first line is then a
    /// status line, whatever the learner has made of it).
    pub response: bool,
}

impl Editor {
    pub fn new(msg: MsgId, wire: &str) -> Self {
        // The head's lines end with CRLF; the body keeps its own line breaks (a JSON
        // body's are plain LF), so that an untouched message round-trips byte for byte.
        let mut lines: Vec<String> = match wire.split_once("\r\n\r\n") {
            Some((head, body)) => {
                let mut l: Vec<String> = head.split("\r\n").map(str::to_string).collect();
                l.push(String::new());
                l.extend(body.split('\n').map(str::to_string));
                l
            }
            None => wire.split("\r\n").map(str::to_string).collect(),
        };
        if lines.is_empty() {
            lines.push(String::new());
        }
        Editor {
            msg,
            lines,
            row: 0,
            col: 0,
            top: 0,
            error: None,
            error_line: None,
            response: http_wire::looks_like_response(wire),
        }
    }

    /// The text as wire text: head lines joined with CRLF, then a blank line, then the
    /// body's lines joined with LF.
    pub fn wire(&self) -> String {
        match self.lines.iter().position(|l| l.is_empty()) {
            Some(blank) => format!(
                "{}\r\n\r\n{}",
                self.lines[..blank].join("\r\n"),
                self.lines[blank + 1..].join("\n")
            ),
            None => self.lines.join("\r\n"),
        }
    }

    /// The size in bytes of the text as wire text.
    pub fn size(&self) -> usize {
        let text: usize = self.lines.iter().map(String::len).sum();
        // Each line break is CRLF in the head and LF in the body: count two bytes.
        text + 2 * self.lines.len().saturating_sub(1)
    }

    /// The error for an edit that would take the message past [`MAX_MESSAGE_BYTES`].
    fn too_big(&mut self, what: &str, added: usize) {
        self.error = Some(format!(
            "{what} was not inserted: the message would be {}, over the editor's limit of {}",
            size_words(self.size() + added),
            size_words(MAX_MESSAGE_BYTES)
        ));
        self.error_line = None;
    }

    /// Inserts pasted text at the cursor as one edit (a terminal's bracketed paste
    /// arrives as one event, whatever its size). Line breaks (CRLF, CR or LF) start
    /// new lines; other control characters but tab are dropped, as typing cannot
    /// enter them either. A paste that would take the message past
    /// [`MAX_MESSAGE_BYTES`] is refused whole, with an inline error; returns whether
    /// the text was inserted.
    pub fn paste(&mut self, text: &str) -> bool {
        let clean: String = text
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .chars()
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .collect();
        if self.size() + clean.len() > MAX_MESSAGE_BYTES {
            self.too_big("the paste", clean.len());
            return false;
        }
        self.row = self.row.min(self.lines.len().saturating_sub(1));
        self.col = self.col.min(self.line_len(self.row));
        let at = self.byte_at(self.row, self.col);
        let rest = self.lines[self.row].split_off(at);
        let mut pieces = clean.split('\n');
        let first = pieces.next().unwrap_or("");
        self.lines[self.row].push_str(first);
        let new: Vec<String> = pieces.map(str::to_string).collect();
        let added = new.len();
        self.lines.splice(self.row + 1..self.row + 1, new);
        self.row += added;
        let last = &mut self.lines[self.row];
        self.col = last.chars().count();
        last.push_str(&rest);
        true
    }

    fn line_len(&self, row: usize) -> usize {
        self.lines.get(row).map(|l| l.chars().count()).unwrap_or(0)
    }

    fn byte_at(&self, row: usize, col: usize) -> usize {
        let line = &self.lines[row];
        line.char_indices()
            .nth(col)
            .map(|(i, _)| i)
            .unwrap_or(line.len())
    }

    pub fn key(&mut self, key: EditKey) {
        self.row = self.row.min(self.lines.len().saturating_sub(1));
        self.col = self.col.min(self.line_len(self.row));
        let grows = match key {
            EditKey::Char(c) => c.len_utf8(),
            EditKey::Enter => 2,
            _ => 0,
        };
        if grows > 0 && self.size() + grows > MAX_MESSAGE_BYTES {
            self.too_big("the key", grows);
            return;
        }
        match key {
            EditKey::Char(c) => {
                let at = self.byte_at(self.row, self.col);
                self.lines[self.row].insert(at, c);
                self.col += 1;
            }
            EditKey::Backspace => {
                if self.col > 0 {
                    let at = self.byte_at(self.row, self.col - 1);
                    self.lines[self.row].remove(at);
                    self.col -= 1;
                } else if self.row > 0 {
                    let line = self.lines.remove(self.row);
                    self.row -= 1;
                    self.col = self.line_len(self.row);
                    self.lines[self.row].push_str(&line);
                }
            }
            EditKey::Delete => {
                if self.col < self.line_len(self.row) {
                    let at = self.byte_at(self.row, self.col);
                    self.lines[self.row].remove(at);
                } else if self.row + 1 < self.lines.len() {
                    let next = self.lines.remove(self.row + 1);
                    self.lines[self.row].push_str(&next);
                }
            }
            EditKey::Enter => {
                let at = self.byte_at(self.row, self.col);
                let rest = self.lines[self.row].split_off(at);
                self.lines.insert(self.row + 1, rest);
                self.row += 1;
                self.col = 0;
            }
            EditKey::Left => {
                if self.col > 0 {
                    self.col -= 1;
                } else if self.row > 0 {
                    self.row -= 1;
                    self.col = self.line_len(self.row);
                }
            }
            EditKey::Right => {
                if self.col < self.line_len(self.row) {
                    self.col += 1;
                } else if self.row + 1 < self.lines.len() {
                    self.row += 1;
                    self.col = 0;
                }
            }
            EditKey::Up => {
                self.row = self.row.saturating_sub(1);
                self.col = self.col.min(self.line_len(self.row));
            }
            EditKey::Down => {
                if self.row + 1 < self.lines.len() {
                    self.row += 1;
                }
                self.col = self.col.min(self.line_len(self.row));
            }
            EditKey::Home => self.col = 0,
            EditKey::End => self.col = self.line_len(self.row),
        }
    }

    /// Keeps the cursor line within a window of `height` lines.
    pub fn scroll_to_cursor(&mut self, height: usize) {
        let h = height.max(1);
        if self.row < self.top {
            self.top = self.row;
        } else if self.row >= self.top + h {
            self.top = self.row + 1 - h;
        }
    }

    /// Rewrites `Content-Length` to the body's actual size (a convenience the learner
    /// asks for with a key; the message is otherwise sent exactly as typed).
    pub fn fix_content_length(&mut self) {
        let Some(blank) = self.lines.iter().position(|l| l.is_empty()) else {
            return;
        };
        let body_len = self.lines[blank + 1..].join("\n").len();
        let mut found = false;
        for line in &mut self.lines[..blank] {
            // The learner's own spelling of the name stays (RFC 9110 §5.1: names are
            // case-insensitive); only the value is set.
            let name = line
                .split_once(':')
                .map(|(k, _)| k.trim().to_string())
                .filter(|k| k.eq_ignore_ascii_case("content-length"));
            if let Some(name) = name {
                *line = format!("{name}: {body_len}");
                found = true;
            }
        }
        if !found && body_len > 0 {
            self.lines
                .insert(blank, format!("content-length: {body_len}"));
        }
    }

    /// Checks the text the way the receiver will parse it; the error, if any, is kept
    /// for display.
    pub fn validate(&mut self) -> bool {
        let wire = self.wire();
        let result = if self.response || http_wire::looks_like_response(&wire) {
            http_wire::parse_response(&wire).map(|_| ())
        } else {
            http_wire::parse_request(&wire).map(|_| ())
        };
        match result {
            Ok(()) => {
                self.error = None;
                self.error_line = None;
                true
            }
            Err(e) => {
                let error = e.to_string();
                match find_bad_line(&self.lines, self.response) {
                    // The parser says what is wrong but not where: point at the line
                    // that breaks the HTTP/1.1 grammar, and say why.
                    Some((i, why)) => {
                        self.error = Some(format!("{error} — line {}: {why}", i + 1));
                        self.error_line = Some(i);
                    }
                    None => {
                        self.error_line = guess_error_line(&self.lines, &error);
                        self.error = Some(error);
                    }
                }
                false
            }
        }
    }
}

/// Whether `c` may appear in a header name (a `token`, RFC 9110 §5.6.2).
fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// The first line of the head that breaks the HTTP/1.1 grammar (RFC 9112 §3, §4, §5),
/// with a few words on why; `None` when the head looks well-formed (the problem is then
/// elsewhere, e.g. the body's length).
fn find_bad_line(lines: &[String], response: bool) -> Option<(usize, &'static str)> {
    let start = lines.first()?;
    let parts: Vec<&str> = start.split(' ').collect();
    let response = response || start.starts_with("HTTP/");
    if response {
        if parts.len() < 2 || parts[0] != "HTTP/1.1" || parts[1].len() != 3 {
            return Some((0, "a status line reads `HTTP/1.1 200 OK`"));
        }
        if !parts[1].chars().all(|c| c.is_ascii_digit()) {
            return Some((0, "the status code must be three digits"));
        }
    } else if parts.len() != 3
        || parts.iter().any(|p| p.is_empty())
        || !parts[0].chars().all(is_tchar)
        || parts[2] != "HTTP/1.1"
    {
        return Some((
            0,
            "a request line reads `METHOD /path HTTP/1.1`, single spaces, no spaces in the path",
        ));
    }
    for (i, line) in lines.iter().enumerate().skip(1) {
        if line.is_empty() {
            break;
        }
        match line.split_once(':') {
            None => return Some((i, "a header line needs a colon: `Name: value`")),
            Some(("", _)) => {
                return Some((i, "the header has no name before its colon"));
            }
            Some((name, _)) if !name.chars().all(is_tchar) => {
                return Some((
                    i,
                    "a header name has no spaces or separators before its colon",
                ));
            }
            Some((_, value)) if value.chars().any(|c| c.is_control() && c != '\t') => {
                return Some((i, "a header value has a control character"));
            }
            _ => {}
        }
    }
    None
}

/// The line an error most likely concerns: a quoted fragment it mentions, else the
/// `Content-Length` line for a length mismatch, else the first line for a bad start line.
fn guess_error_line(lines: &[String], error: &str) -> Option<usize> {
    if let Some(start) = error.find('"')
        && let Some(len) = error[start + 1..].find('"')
    {
        let frag = &error[start + 1..start + 1 + len];
        if !frag.is_empty()
            && let Some(i) = lines.iter().position(|l| l.contains(frag))
        {
            return Some(i);
        }
    }
    if error.contains("Content-Length") {
        return lines.iter().position(|l| {
            l.split_once(':')
                .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        });
    }
    if error.contains("blank line") {
        return Some(lines.len().saturating_sub(1));
    }
    Some(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIRE: &str = "POST /token HTTP/1.1\r\nhost: as.example\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 6\r\n\r\ncode=a";

    #[test]
    fn round_trips_and_edits() {
        let mut e = Editor::new(MsgId(1), WIRE);
        assert_eq!(e.wire(), WIRE);
        assert!(e.validate());
        e.row = 5;
        e.key(EditKey::End);
        e.key(EditKey::Char('b'));
        assert!(!e.validate());
        assert!(e.error.as_deref().unwrap().contains("Content-Length"));
        assert_eq!(e.error_line, Some(3));
        e.fix_content_length();
        assert!(e.validate(), "{:?}", e.error);
        assert!(e.wire().ends_with("code=ab"));
    }

    #[test]
    fn fixing_the_length_keeps_the_learners_header_name() {
        let wire = WIRE.replace("content-length: 6", "Content-Length: 6");
        let mut e = Editor::new(MsgId(1), &wire);
        e.row = 5;
        e.key(EditKey::End);
        e.key(EditKey::Char('b'));
        e.fix_content_length();
        assert!(
            e.wire().contains("\r\nContent-Length: 7\r\n"),
            "{}",
            e.wire()
        );
    }

    #[test]
    fn a_json_body_with_lf_round_trips() {
        let wire = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 12\r\n\r\n{\n  \"a\": 1\n}";
        let mut e = Editor::new(MsgId(2), wire);
        assert_eq!(e.wire(), wire);
        assert!(e.validate(), "{:?}", e.error);
        let e2 = Editor::new(MsgId(3), "GET / HTTP/1.1\r\nhost: a.example\r\n\r\n");
        assert_eq!(e2.wire(), "GET / HTTP/1.1\r\nhost: a.example\r\n\r\n");
    }

    #[test]
    fn a_broken_header_is_pointed_at() {
        let mut e = Editor::new(MsgId(1), WIRE);
        e.lines[1] = "host as.example".into();
        assert!(!e.validate());
        assert_eq!(e.error_line, Some(1));
        assert!(
            e.error.as_deref().unwrap().contains("line 2"),
            "{:?}",
            e.error
        );
        e.lines[1] = "host: as.example".into();
        e.lines[0] = "POST /to ken HTTP/1.1".into();
        assert!(!e.validate());
        assert_eq!(e.error_line, Some(0));
    }

    #[test]
    fn a_paste_is_one_edit_and_the_size_is_capped() {
        let mut e = Editor::new(MsgId(1), "ab");
        e.col = 1;
        assert!(e.paste("x\r\ny\rz\u{1b}[2J\tw\nlast"));
        assert_eq!(e.lines, vec!["ax", "y", "z[2J\tw", "lastb"]);
        assert_eq!((e.row, e.col), (3, 4));
        let before = e.lines.clone();
        let big = "y".repeat(MAX_MESSAGE_BYTES);
        assert!(!e.paste(&big));
        assert_eq!(e.lines, before, "a refused paste changes nothing");
        let err = e.error.clone().unwrap();
        assert!(err.contains("over the editor's limit of 1 MiB"), "{err}");
        // Up to the limit, exactly; then typing is refused too.
        e.error = None;
        let room = MAX_MESSAGE_BYTES - e.size();
        assert!(e.paste(&"z".repeat(room)));
        assert_eq!(e.size(), MAX_MESSAGE_BYTES);
        e.key(EditKey::Char('!'));
        assert_eq!(e.size(), MAX_MESSAGE_BYTES);
        assert!(e.error.is_some());
        e.key(EditKey::Backspace);
        assert_eq!(e.size(), MAX_MESSAGE_BYTES - 1);
    }

    #[test]
    fn enter_and_backspace_join_lines() {
        let mut e = Editor::new(MsgId(1), "ab");
        e.col = 1;
        e.key(EditKey::Enter);
        assert_eq!(e.lines, vec!["a", "b"]);
        e.key(EditKey::Backspace);
        assert_eq!(e.lines, vec!["ab"]);
        e.key(EditKey::Delete);
        e.key(EditKey::Char('é'));
        e.key(EditKey::Left);
        e.key(EditKey::Delete);
        assert_eq!(e.lines, vec!["a"]);
    }
}
