//! Frame protection for the pages where the user decides (RFC 9700 §4.16): with
//! `frame-protection` on, every HTML page the AS serves from `/authorize`, `/login` and
//! `/consent` says that no other site may show it in a frame — `Content-Security-Policy:
//! frame-ancestors 'none'` (CSP Level 3 §6.4.2) and, for older browsers,
//! `X-Frame-Options: DENY` (RFC 7034 §2.1). docs/PROTOCOL.md item 35.

use crate::actors::Ctx;
use crate::protocol::http_wire::{Response, response_header, set_header};

/// The policy that forbids every ancestor (CSP Level 3 §6.4.2).
pub const FRAME_ANCESTORS_NONE: &str = "frame-ancestors 'none'";
/// The legacy header's value (RFC 7034 §2.1).
pub const X_FRAME_OPTIONS_DENY: &str = "DENY";

/// The paths whose pages show the login form or the consent screen.
const DECISION_PATHS: [&str; 3] = ["/authorize", "/login", "/consent"];

/// Adds the frame-protection headers to an HTML page answered at a decision path,
/// when the defense is on.
pub(crate) fn protect_pages(ctx: &Ctx<'_>, path: &str, resp: &mut Response) {
    if !ctx.defenses.frame_protection || !DECISION_PATHS.contains(&path) {
        return;
    }
    let html = response_header(resp, "content-type")
        .is_some_and(|ct| ct.trim_start().starts_with("text/html"));
    if html {
        set_header(
            resp.headers_mut(),
            "content-security-policy",
            FRAME_ANCESTORS_NONE,
        );
        set_header(resp.headers_mut(), "x-frame-options", X_FRAME_OPTIONS_DENY);
    }
}
