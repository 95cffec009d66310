//! Text from files, messages and arguments made safe to print on a terminal.
//!
//! A terminal obeys the control characters in what it is sent: `ESC ] 52 ; c ; …`
//! writes the clipboard, `ESC ] 0 ;` sets the window title, `ESC [ 2 J` clears the
//! screen (ECMA-48 §5 lists the C0 and C1 sets). Lesson files are shared between
//! people and messages can be edited by hand, so their text is untrusted: every path
//! that prints it goes through this module, which replaces each C0 control (U+0000 to
//! U+001F), DEL (U+007F) and C1 control (U+0080 to U+009F) with a visible escape
//! (`\x1b`, `\u{9b}`). Newline and tab are kept where they mean layout.
//!
//! This module depends on nothing else in the crate, so every layer may use it.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

/// Whether a character is a C0 control, DEL or a C1 control (ECMA-48 §5).
pub fn is_terminal_control(c: char) -> bool {
    c.is_control()
}

fn needs_escape(c: char, keep_layout: bool) -> bool {
    is_terminal_control(c) && !(keep_layout && (c == '\n' || c == '\t'))
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        c if (c as u32) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

fn escape(text: &str, keep_layout: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| needs_escape(c, keep_layout)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c, keep_layout) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for the terminal: controls escaped, newlines and tabs kept (paragraphs,
/// transcripts, error messages of several lines).
pub fn printable(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// Text for one line of output (a title in a list, a quoted argument): every control
/// escaped, newlines and tabs included.
pub fn one_line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// The first control character of `text` that [`printable`] would escape, with its
/// byte offset.
pub fn first_control(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|(_, c)| needs_escape(*c, true))
}

/// The name of a control character, as a diagnostic says it: `U+001B (ESC)`.
pub fn describe_control(c: char) -> String {
    const C0: [&str; 32] = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR",
        "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB",
        "ESC", "FS", "GS", "RS", "US",
    ];
    let code = c as u32;
    let name = match code {
        0..=0x1f => C0[code as usize],
        0x7f => "DEL",
        0x9b => "CSI",
        0x9d => "OSC",
        0x90 => "DCS",
        _ => "C1 control",
    };
    format!("U+{code:04X} ({name})")
}

/// A writer that passes text through [`printable`]: whatever is written to it reaches
/// the inner writer with its controls escaped. Bytes that are not UTF-8 are shown as
/// `\xNN`; a character split across two writes is held until its last byte arrives.
#[derive(Debug)]
pub struct PrintableWriter<W: io::Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: io::Write> PrintableWriter<W> {
    pub fn new(inner: W) -> Self {
        PrintableWriter {
            inner,
            pending: Vec::new(),
        }
    }

    /// The inner writer.
    pub fn into_inner(self) -> W {
        self.inner
    }

    /// Escapes the complete part of `pending` into a string, keeping an unfinished
    /// UTF-8 sequence at its end.
    fn drain_complete(&mut self) -> String {
        let mut out = String::with_capacity(self.pending.len());
        let mut rest: &[u8] = &self.pending;
        loop {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    out.push_str(&printable(s));
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    out.push_str(&printable(
                        std::str::from_utf8(valid).expect("checked by valid_up_to"),
                    ));
                    match e.error_len() {
                        Some(n) => {
                            for b in &after[..n] {
                                let _ = write!(out, "\\x{b:02x}");
                            }
                            rest = &after[n..];
                        }
                        // An unfinished sequence: wait for the rest of it.
                        None => {
                            rest = after;
                            break;
                        }
                    }
                }
            }
        }
        let keep = rest.len();
        let start = self.pending.len() - keep;
        self.pending.drain(..start);
        out
    }
}

impl<W: io::Write> io::Write for PrintableWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let text = self.drain_complete();
        self.inner.write_all(text.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn controls_are_escaped_and_layout_is_kept() {
        let hostile = "Title\u{1b}]52;c;aGk=\u{7}\n\tnext\r\u{9b}2J\u{7f}";
        assert_eq!(
            printable(hostile),
            "Title\\x1b]52;c;aGk=\\x07\n\tnext\\r\\u{9b}2J\\x7f"
        );
        assert_eq!(one_line("a\nb\tc"), "a\\nb\\tc");
        assert!(matches!(printable("plain é ✓"), Cow::Borrowed(_)));
        assert_eq!(first_control("ab\u{1b}c"), Some((2, '\u{1b}')));
        assert_eq!(first_control("a\n\tb"), None);
        assert_eq!(describe_control('\u{1b}'), "U+001B (ESC)");
        assert_eq!(describe_control('\u{9d}'), "U+009D (OSC)");
    }

    #[test]
    fn the_writer_escapes_across_split_writes() {
        let mut w = PrintableWriter::new(Vec::new());
        let bytes = "é\u{1b}[2J\u{9b}".as_bytes();
        // Every split point, including inside the two-byte characters.
        w.write_all(&bytes[..1]).unwrap();
        w.write_all(&bytes[1..4]).unwrap();
        w.write_all(&bytes[4..bytes.len() - 1]).unwrap();
        w.write_all(&bytes[bytes.len() - 1..]).unwrap();
        w.write_all(b"\xff ok\n").unwrap();
        assert_eq!(
            String::from_utf8(w.into_inner()).unwrap(),
            "é\\x1b[2J\\u{9b}\\xff ok\n"
        );
    }
}
