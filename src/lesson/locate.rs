//! Resolving step references (an index or a [`Locator`]) against a trace.

use crate::sim::{Origin, Step, StepKind, Trace};

use super::model::{Locator, StepRef};

/// The valid `kind` values of a locator.
pub const KINDS: &[&str] = &["request", "response", "event", "observed"];
/// The valid `origin` values of a locator.
pub const ORIGINS: &[&str] = &["honest", "attacker", "learner"];

/// Problems a locator has whatever the trace (unknown kind, bad `request`).
pub fn locator_problems(l: &Locator) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(k) = &l.kind
        && !KINDS.contains(&k.as_str())
    {
        out.push(format!(
            "unknown step kind `{k}`; valid kinds: {}",
            KINDS.join(", ")
        ));
    }
    if let Some(o) = &l.origin
        && !ORIGINS.contains(&o.as_str())
    {
        out.push(format!(
            "unknown origin `{o}`; valid origins: {}",
            ORIGINS.join(", ")
        ));
    }
    if let Some(r) = &l.request
        && split_request(r).is_none()
    {
        out.push(format!(
            "`request = {r:?}` should be `METHOD /path`, e.g. \"POST /token\""
        ));
    }
    if l.nth == Some(0) {
        out.push("`nth` counts from 1 (or from the end with -1)".into());
    }
    out
}

fn split_request(r: &str) -> Option<(&str, &str)> {
    let (m, p) = r.trim().split_once(' ')?;
    let p = p.trim();
    (!m.is_empty() && p.starts_with('/')).then_some((m, p))
}

fn kind_name(k: StepKind) -> &'static str {
    match k {
        StepKind::Request => "request",
        StepKind::Response => "response",
        StepKind::Event => "event",
        StepKind::Observed => "observed",
    }
}

fn origin_name(o: Origin) -> &'static str {
    match o {
        Origin::Honest => "honest",
        Origin::Attacker => "attacker",
        Origin::Learner => "learner",
    }
}

/// The path of a step's request URL (`/token`), if it is a request.
pub fn request_path(step: &Step) -> Option<String> {
    let url = step.decoded.url.as_deref()?;
    let uri = crate::protocol::http_wire::parse_url(url)?;
    Some(uri.path().to_string())
}

/// `POST /token` for a request step.
pub fn request_label(step: &Step) -> Option<String> {
    Some(format!(
        "{} {}",
        step.decoded.method.as_deref()?,
        request_path(step)?
    ))
}

fn matches(l: &Locator, s: &Step) -> bool {
    let eq = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
    if !eq(&l.from, s.from.as_str()) || !eq(&l.to, s.to.as_str()) {
        return false;
    }
    if !eq(&l.kind, kind_name(s.kind)) || !eq(&l.origin, origin_name(s.origin)) {
        return false;
    }
    if let Some(r) = &l.request {
        let Some((m, p)) = split_request(r) else {
            return false;
        };
        if s.kind != StepKind::Request
            || s.decoded.method.as_deref() != Some(m)
            || request_path(s).as_deref() != Some(p)
        {
            return false;
        }
    }
    if let Some(st) = l.status
        && (s.kind != StepKind::Response || s.decoded.status != Some(st))
    {
        return false;
    }
    if let Some(t) = &l.summary
        && !s.summary.contains(t.as_str())
    {
        return false;
    }
    if let Some(t) = &l.annotation
        && !s.annotation.to_lowercase().contains(&t.to_lowercase())
    {
        return false;
    }
    if let Some(p) = &l.has
        && s.decoded.param(p).is_none()
    {
        return false;
    }
    true
}

/// The index of the step a reference names in `trace`, or why there is none.
pub fn locate(trace: &Trace, r: &StepRef) -> Result<usize, String> {
    match r {
        StepRef::Index(i) => {
            if *i < trace.steps.len() {
                Ok(*i)
            } else {
                Err(format!(
                    "step {i} does not exist (the trace has {} steps, 0–{})",
                    trace.steps.len(),
                    trace.steps.len().saturating_sub(1)
                ))
            }
        }
        StepRef::Locate(l) => {
            if let Some(p) = locator_problems(l).into_iter().next() {
                return Err(p);
            }
            let found: Vec<&Step> = trace.steps.iter().filter(|s| matches(l, s)).collect();
            let nth = l.nth.unwrap_or(1);
            let pick = if nth > 0 {
                found.get(nth as usize - 1)
            } else {
                found
                    .len()
                    .checked_sub(nth.unsigned_abs() as usize)
                    .and_then(|i| found.get(i))
            };
            let Some(step) = pick else {
                return Err(if found.is_empty() {
                    format!("no step matches {l}")
                } else {
                    format!("{l} matches {} step(s), not an nth = {nth}", found.len())
                });
            };
            if !l.reply {
                return Ok(step.index);
            }
            let reply = step.msg_id.and_then(|id| trace.response_to(id));
            reply.map(|s| s.index).ok_or_else(|| {
                format!(
                    "step {} ({}) has no response in the trace",
                    step.index, step.summary
                )
            })
        }
    }
}

/// The response to a request step, or the step itself if it is not a request.
pub fn response_of(trace: &Trace, index: usize) -> Option<&Step> {
    let s = trace.steps.get(index)?;
    if s.kind == StepKind::Request {
        s.msg_id.and_then(|id| trace.response_to(id))
    } else {
        Some(s)
    }
}
