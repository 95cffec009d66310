//! The sentence for a response: what it answers, read from its status, headers and
//! body (a photo list names its owner; a page names the person it is shown to).

use crate::sim::{Channel, Step, Trace};

use super::cast::{is_browser, owner_words, person, who, who_cap};

fn has(step: &Step, name: &str) -> bool {
    step.decoded.param(name).is_some()
}

pub fn sentence(trace: &Trace, step: &Step) -> String {
    let status = step.decoded.status.unwrap_or(0);
    let from = who_cap(trace, step.from.as_str());
    let to = who(trace, step.to.as_str());
    if let Some(err) = step.decoded.param("error") {
        return format!("{from} refuses with `{err}`: the flow cannot go on this way.");
    }
    if (300..400).contains(&status) {
        return redirect_sentence(trace, step, status);
    }
    if has(step, "access_token") {
        let path = if step.channel == Channel::BackChannel && !is_browser(trace, step.to.as_str()) {
            ": they go straight to it over the back channel; no browser holds them"
        } else {
            ""
        };
        return format!("{from} issues tokens to {to}{path}.");
    }
    if let Some(active) = step.decoded.param("active") {
        return format!("{from} tells {to} whether the token is active: active = {active}.");
    }
    if has(step, "keys") {
        return format!(
            "The public keys (JWKS) of {} arrive; signatures can now be checked.",
            who(trace, step.from.as_str())
        );
    }
    if has(step, "issuer") {
        return format!(
            "The metadata of {} arrives: issuer, endpoints, supported methods.",
            who(trace, step.from.as_str())
        );
    }
    if has(step, "photos") {
        let owner = step
            .decoded
            .param("owner")
            .map(|o| owner_words(trace, &o))
            .unwrap_or_else(|| "photos with no owner named".into());
        return format!("{from} serves {owner} to {to}.");
    }
    let html = step
        .decoded
        .header("content-type")
        .is_some_and(|c| c.starts_with("text/html"));
    match status {
        200 if html => {
            let reader = person(trace, step.to.as_str()).unwrap_or_else(|| to.clone());
            let title = step
                .decoded
                .title
                .as_deref()
                .filter(|t| !t.is_empty())
                .map(|t| format!(" (“{t}”)"))
                .unwrap_or_default();
            format!("{from} answers 200 with a page{title} for {reader}.")
        }
        401 | 403 => format!("{from} refuses the request ({status})."),
        s if s >= 400 => format!("{from} answers with an error ({s})."),
        s => format!("{from} answers {s}."),
    }
}

fn redirect_sentence(trace: &Trace, step: &Step, status: u16) -> String {
    let from = who_cap(trace, step.from.as_str());
    let to = who(trace, step.to.as_str());
    let location = step.decoded.header("location").unwrap_or("");
    if has(step, "code") {
        return format!(
            "{from} answers with a redirect whose URL carries an authorization code, through {to} (front channel)."
        );
    }
    if location.contains("/authorize") {
        return format!(
            "{from} redirects {to} with an authorization request: the browser is only the messenger."
        );
    }
    let target = crate::sim::decode::short_url(location, 60);
    format!("{from} answers {status}, a redirect to {target}.")
}
