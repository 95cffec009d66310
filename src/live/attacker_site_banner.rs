//! What `serve --attack ID` prints about the attacker's site: where it is, what a
//! visitor sees happen, which defenses the catalog says stop it (and whether each is on
//! now); and, when the server stops, whether the attacker reached its goal.

use super::LiveServer;
use super::attacker_site::AttackSite;
use crate::attacks::setup::ATTACKER_BROWSER;
use crate::sim::Channel;
use crate::terminal_text::printable;

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
{own_browser}{walkthrough}
  The attacker's goal: {goal}.
  The catalog says each of these stops it: {stoppers}.
  When you stop the server, it says whether the attacker reached its goal.

",
        id = info.id,
        title = info.title,
        entry = site.entry(&url),
        own_browser = own_browser(server)
            .map(|l| indent(&l) + "\n")
            .unwrap_or_default(),
        walkthrough = indent(&site.walkthrough(server.urls(), &url)),
        goal = info.goal,
        stoppers = stoppers.join(", "),
    )
}

/// Where the attacker's own browser got on start, read from the trace: the request it
/// stopped before (method and path only), or that its sign-in ended before that.
fn own_browser(server: &LiveServer) -> Option<String> {
    let trace = server.hub().trace();
    if !trace
        .actors
        .iter()
        .any(|a| a.id.as_str() == ATTACKER_BROWSER)
    {
        return None;
    }
    let stop = trace
        .steps
        .iter()
        .find(|s| s.from.as_str() == ATTACKER_BROWSER && s.channel == Channel::Observed);
    Some(match stop {
        Some(step) => {
            let mut line = step.wire.split(' ');
            let method = line.next().unwrap_or("");
            let target = line.next().unwrap_or("");
            let (url, query) = target.split_once('?').unwrap_or((target, ""));
            let params = crate::protocol::params::Params::parse(query);
            // The error code names what went wrong (RFC 6749 §4.1.2.1); no value of
            // the request is printed.
            let carries = match (params.first("code"), params.first("error")) {
                (Some(_), _) => " (with a code)".to_string(),
                (None, Some(e)) => format!(" (without a code: error={})", printable(e)),
                (None, None) => String::new(),
            };
            format!(
                "On start the attacker's own browser (Mallory's) stopped before sending {method} {url}{carries} and handed it to the site."
            )
        }
        None => "On start the attacker's own browser (Mallory's) never reached the request it stops at: its sign-in ended before it (see the log)."
            .to_string(),
    })
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
