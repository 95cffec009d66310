//! What `serve --attack ID` prints about the attacker's site: where it is, what a
//! visitor sees happen, which defenses the catalog says stop it (and whether each is on
//! now); and, when the server stops, whether the attacker reached its goal.

use super::LiveServer;
use super::attacker_site::AttackSite;

/// The start banner's attack section.
pub fn attack_banner(server: &LiveServer, site: AttackSite) -> String {
    let info = site.attack().info();
    let url = server.urls().attacker.clone().unwrap_or_default();
    let defenses = server.hub().defenses();
    let stoppers: Vec<String> = info
        .stoppers
        .iter()
        .map(|s| {
            let now = if defenses.is_on(s.defense) {
                "on"
            } else {
                "off"
            };
            format!("{} ({now} now)", s.claim())
        })
        .collect();
    format!(
        "
Attack {id}: {title}
  The attacker's site           {entry}
{walkthrough}
  The attacker's goal: {goal}.
  The catalog says each of these stops it: {stoppers}.
  When you stop the server, it says whether the attacker reached its goal.

",
        id = info.id,
        title = info.title,
        entry = site.entry(&url),
        walkthrough = indent(&site.walkthrough(server.urls(), &url)),
        goal = info.goal,
        stoppers = stoppers.join(", "),
    )
}

/// The attack's verdict on the live session, computed by its goal predicate on what the
/// attacker's site holds.
pub fn attack_verdict(server: &LiveServer, site: AttackSite) -> String {
    let info = site.attack().info();
    match server.attack_goal() {
        Some(reached) => format!("{}: the attacker reached its goal: {reached}.", info.id),
        None => format!(
            "{}: the attacker did not reach its goal ({}).",
            info.id, info.goal
        ),
    }
}

/// `text` wrapped at 88 columns, each line indented by two spaces.
fn indent(text: &str) -> String {
    let mut lines = vec![String::from(" ")];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("one line at least");
        if line.len() + 1 + word.len() > 90 && line.len() > 2 {
            lines.push(format!("  {word}"));
        } else {
            line.push(' ');
            line.push_str(word);
        }
    }
    lines.join("\n")
}
