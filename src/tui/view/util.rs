//! Drawing helpers that never write outside the buffer, whatever the sizes.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Block, BorderType, Borders};
use unicode_width::UnicodeWidthChar;
use unicode_width::UnicodeWidthStr;

/// Display width of a string.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// A bordered block: thick and in the focus colour when its pane has the focus, else
/// `border` lines in `style`.
pub fn focus_block(focused: bool, border: BorderType, style: Style) -> Block<'static> {
    let t = crate::tui::theme::theme();
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused { BorderType::Thick } else { border })
        .border_style(if focused { t.border_focused } else { style })
}

/// A pane's bordered block: thick, in the focus colour and with `●` before its title
/// when the pane has the focus.
pub fn pane_block(title: &str, focused: bool) -> Block<'static> {
    let t = crate::tui::theme::theme();
    focus_block(focused, BorderType::Plain, t.border).title(ratatui::text::Line::styled(
        if focused {
            format!(" ● {title} ")
        } else {
            format!(" {title} ")
        },
        t.title,
    ))
}

/// Cuts `s` to at most `max` columns, ending with `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Writes `text` at (x, y), clipped to `clip` and to the buffer; returns the column
/// after the last character written. The style is laid over what the cells had (a
/// highlight painted before stays).
pub fn put(buf: &mut Buffer, clip: Rect, x: u16, y: u16, text: &str, style: Style) -> u16 {
    write(buf, clip, x, y, text, style, false)
}

/// Writes `text` on row `y` of `area` from its left edge, cut to the area's width
/// (ending with `…` when cut); returns the column after the last character written.
pub fn put_row(buf: &mut Buffer, area: Rect, y: u16, text: &str, style: Style) -> u16 {
    put(
        buf,
        area,
        area.x,
        y,
        &truncate(text, area.width as usize),
        style,
    )
}

/// Like [`put`], but each character written has `style` alone: nothing of what the
/// cell showed before (a dim lifeline under a label) carries over.
pub fn put_own(buf: &mut Buffer, clip: Rect, x: u16, y: u16, text: &str, style: Style) -> u16 {
    write(buf, clip, x, y, text, style, true)
}

fn write(buf: &mut Buffer, clip: Rect, x: u16, y: u16, text: &str, style: Style, own: bool) -> u16 {
    let area = clip.intersection(buf.area);
    if area.is_empty() || y < area.y || y >= area.bottom() || x >= area.right() {
        return x;
    }
    let mut col = x;
    for c in text.chars() {
        let cw = c.width().unwrap_or(0) as u16;
        if cw == 0 {
            continue;
        }
        if col + cw > area.right() {
            break;
        }
        if col >= area.x
            && let Some(cell) = buf.cell_mut((col, y))
        {
            if own {
                cell.reset();
            }
            cell.set_char(c).set_style(style);
        }
        col += cw;
    }
    col
}

/// Applies `style` to every cell of `rect` (clipped).
pub fn paint(buf: &mut Buffer, rect: Rect, style: Style) {
    let r = rect.intersection(buf.area);
    if !r.is_empty() {
        buf.set_style(r, style);
    }
}

/// Clears `rect` (clipped) to blank cells.
pub fn clear(buf: &mut Buffer, rect: Rect) {
    let r = rect.intersection(buf.area);
    for y in r.top()..r.bottom() {
        for x in r.left()..r.right() {
            if let Some(c) = buf.cell_mut((x, y)) {
                c.reset();
            }
        }
    }
}

/// A rectangle of at most `w` × `h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Word-wraps `text` to `width` columns (long words are cut).
pub fn wrap(text: &str, width_cols: usize) -> Vec<String> {
    let w = width_cols.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        loop {
            let need = if line.is_empty() { 0 } else { 1 } + width(&word);
            if width(&line) + need <= w {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(&word);
                break;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            // A word longer than the line: cut it.
            let mut head = String::new();
            let mut hw = 0;
            let mut rest = String::new();
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if hw + cw > w || !rest.is_empty() {
                    rest.push(c);
                } else {
                    head.push(c);
                    hw += cw;
                }
            }
            lines.push(head);
            word = rest;
            if word.is_empty() {
                break;
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Word-wraps a line made of styled pieces to `width_cols` columns: each word keeps
/// its piece's style, lines break only between words (a word longer than the line is
/// cut), and continuation lines start with `indent` spaces.
pub fn wrap_styled(
    pieces: &[(String, Style)],
    width_cols: usize,
    indent: usize,
) -> Vec<ratatui::text::Line<'static>> {
    use ratatui::text::{Line, Span};
    let w = width_cols.max(indent + 1);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0usize;
    let words = pieces
        .iter()
        .flat_map(|(text, style)| text.split_whitespace().map(move |word| (word, *style)));
    for (word, style) in words {
        let lead = if lines.is_empty() { 0 } else { indent };
        let room = w - lead;
        for part in wrap(word, room) {
            let pw = width(&part);
            let sep = usize::from(used > 0);
            if used > 0 && used + sep + pw > w {
                lines.push(Line::from(std::mem::take(&mut spans)));
                used = 0;
            }
            if used == 0 && !lines.is_empty() && indent > 0 {
                spans.push(Span::raw(" ".repeat(indent)));
                used = indent;
            } else if used > 0 {
                spans.push(Span::raw(" "));
                used += 1;
            }
            used += pw;
            spans.push(Span::styled(part, style));
        }
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_clips_everywhere() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 3, 1));
        let clip = buf.area;
        assert_eq!(put(&mut buf, clip, 1, 0, "abcdef", Style::new()), 3);
        put(&mut buf, clip, 0, 5, "x", Style::new());
        put(&mut buf, clip, 9, 0, "x", Style::new());
        assert_eq!(buf.cell((1, 0)).unwrap().symbol(), "a");
    }

    #[test]
    fn truncate_and_wrap() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert!(wrap("", 3).is_empty());
    }

    #[test]
    fn styled_wrap_breaks_between_words_with_a_stable_indent() {
        let text = |l: &ratatui::text::Line| -> String {
            l.spans.iter().map(|s| s.content.as_ref()).collect()
        };
        let bold = Style::new().bold();
        let pieces = vec![
            ("Step 4:".to_string(), Style::new()),
            ("the browser carries the request".to_string(), bold),
        ];
        let lines = wrap_styled(&pieces, 16, 2);
        let texts: Vec<String> = lines.iter().map(text).collect();
        assert_eq!(
            texts,
            ["Step 4: the", "  browser", "  carries the", "  request"]
        );
        // Each word keeps its piece's style.
        assert_eq!(lines[0].spans.last().map(|s| s.style), Some(bold));
        assert_eq!(lines[0].spans[0].style, Style::new());
        // A word longer than the line is cut, not lost.
        let long = wrap_styled(&[("abcdefghij".to_string(), bold)], 4, 0);
        assert_eq!(
            long.iter().map(text).collect::<Vec<_>>(),
            ["abcd", "efgh", "ij"]
        );
    }
}
