//! The values the defense panel offers for one defense: not only on and off but every
//! setting the defense's own type accepts (`pkce=plain`, `redirect-matching=prefix`,
//! `code-lifetime=600`), read from the defenses themselves rather than listed here.

use crate::actors::defenses::{DefenseError, DefenseId, Defenses, Profile};

/// The distinct settings of `id`, each as the text `set_value` takes: `off`, the
/// words the defense's type lists as valid, the value each profile gives it, `on`.
pub fn choices(id: DefenseId) -> Vec<String> {
    let mut texts = vec!["off".to_string()];
    // The type's own list of valid words, as its error for an unknown word gives it.
    if let Err(DefenseError::BadValue { valid, .. }) = Defenses::naive().set_value(id, "?") {
        texts.extend(valid.split(", ").map(str::to_string));
    }
    for p in Profile::ALL {
        texts.push(setting_text(&p.defenses(), id));
    }
    texts.push("on".to_string());
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for text in texts {
        let mut d = Defenses::naive();
        if d.set_value(id, &text).is_err() {
            continue;
        }
        let label = d.value_label(id);
        if !seen.contains(&label) {
            seen.push(label);
            out.push(text);
        }
    }
    out
}

/// The text `set_value` takes for `id`'s current setting in `d` (a lifetime's label
/// `600 s` is set as `600`).
fn setting_text(d: &Defenses, id: DefenseId) -> String {
    let label = d.value_label(id);
    match label.strip_suffix(" s") {
        Some(secs) if secs.parse::<u64>().is_ok() => secs.to_string(),
        _ => label,
    }
}

/// The settings of `id` as learners see them (`never expires`, `600 s`, `60 s`).
pub fn labels(id: DefenseId) -> Vec<String> {
    choices(id)
        .iter()
        .filter_map(|text| {
            let mut d = Defenses::naive();
            d.set_value(id, text).ok()?;
            Some(d.value_label(id))
        })
        .collect()
}

/// The setting `step` places after (or before, when negative) `id`'s current one in
/// `d`, wrapping around; `None` when the defense has a single setting.
pub fn next(d: &Defenses, id: DefenseId, step: i32) -> Option<String> {
    let all = choices(id);
    if all.len() < 2 {
        return None;
    }
    let now = d.value_label(id);
    let at = all
        .iter()
        .position(|text| {
            let mut probe = d.clone();
            probe.set_value(id, text).is_ok() && probe.value_label(id) == now
        })
        .unwrap_or(0) as i32;
    let n = all.len() as i32;
    Some(all[((at + step) % n + n) as usize % n as usize].clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_valued_defenses_offer_every_setting() {
        assert_eq!(labels(DefenseId::Pkce), ["off", "plain", "S256"]);
        assert_eq!(
            labels(DefenseId::RedirectMatching).len(),
            3,
            "{:?}",
            labels(DefenseId::RedirectMatching)
        );
        let life = labels(DefenseId::CodeLifetime);
        assert!(life.contains(&"600 s".to_string()), "{life:?}");
        assert!(life.contains(&"never expires".to_string()), "{life:?}");
        assert_eq!(labels(DefenseId::CodeBoundToClient), ["off", "on"]);
    }

    #[test]
    fn next_wraps_both_ways() {
        let d = Defenses::naive();
        assert_eq!(next(&d, DefenseId::Pkce, 1).as_deref(), Some("plain"));
        assert_eq!(next(&d, DefenseId::Pkce, -1).as_deref(), Some("S256"));
    }
}
