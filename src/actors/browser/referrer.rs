//! Referrer policies (W3C Referrer Policy, §3 and §8.3) and the `Referer` header they
//! produce (RFC 9110 §10.1.3). The `Referer` of a request is computed from the URL of
//! the page that caused it, the policy of that page, and the URL requested.

use serde::{Deserialize, Serialize};

/// A referrer policy (W3C Referrer Policy §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReferrerPolicy {
    /// Never send a `Referer`.
    NoReferrer,
    /// The full URL, except from an https page to a non-https URL. The default of
    /// browsers before 2020 (a legacy browser here), with which the leak of RFC 9700
    /// §4.2 shows.
    NoReferrerWhenDowngrade,
    /// The full URL to the same origin only.
    SameOrigin,
    /// Only the origin (`https://client.example/`), to anyone.
    Origin,
    /// Only the origin, and nothing on a downgrade.
    StrictOrigin,
    /// The full URL to the same origin, the origin to others.
    OriginWhenCrossOrigin,
    /// The full URL to the same origin, the origin to others, nothing on a downgrade.
    /// Browsers' default since 2020, and the default here.
    StrictOriginWhenCrossOrigin,
    /// The full URL to anyone, even on a downgrade.
    UnsafeUrl,
}

impl ReferrerPolicy {
    pub const ALL: [ReferrerPolicy; 8] = [
        ReferrerPolicy::NoReferrer,
        ReferrerPolicy::NoReferrerWhenDowngrade,
        ReferrerPolicy::SameOrigin,
        ReferrerPolicy::Origin,
        ReferrerPolicy::StrictOrigin,
        ReferrerPolicy::OriginWhenCrossOrigin,
        ReferrerPolicy::StrictOriginWhenCrossOrigin,
        ReferrerPolicy::UnsafeUrl,
    ];

    /// The token as it appears in headers and `<meta name="referrer">`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReferrerPolicy::NoReferrer => "no-referrer",
            ReferrerPolicy::NoReferrerWhenDowngrade => "no-referrer-when-downgrade",
            ReferrerPolicy::SameOrigin => "same-origin",
            ReferrerPolicy::Origin => "origin",
            ReferrerPolicy::StrictOrigin => "strict-origin",
            ReferrerPolicy::OriginWhenCrossOrigin => "origin-when-cross-origin",
            ReferrerPolicy::StrictOriginWhenCrossOrigin => "strict-origin-when-cross-origin",
            ReferrerPolicy::UnsafeUrl => "unsafe-url",
        }
    }

    /// Parses one token (case-insensitive), including the legacy `<meta>` keywords
    /// (`never`, `always`, `default`, `origin-when-crossorigin`; HTML §4.2.5.3).
    pub fn parse_token(token: &str) -> Option<ReferrerPolicy> {
        let t = token.trim().to_ascii_lowercase();
        match t.as_str() {
            "never" => return Some(ReferrerPolicy::NoReferrer),
            "always" => return Some(ReferrerPolicy::UnsafeUrl),
            "default" => return Some(ReferrerPolicy::StrictOriginWhenCrossOrigin),
            "origin-when-crossorigin" => return Some(ReferrerPolicy::OriginWhenCrossOrigin),
            _ => {}
        }
        Self::ALL.into_iter().find(|p| p.as_str() == t)
    }

    /// Parses a `Referrer-Policy` header: a comma-separated list in which the last
    /// recognised token wins, so that new policies can fall back to older ones
    /// (W3C Referrer Policy §4.1, §8.1).
    pub fn parse_header(value: &str) -> Option<ReferrerPolicy> {
        value.split(',').rev().find_map(Self::parse_token)
    }
}

impl std::fmt::Display for ReferrerPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a URL is "potentially trustworthy": https, or a loopback host — `localhost`,
/// any address of 127.0.0.0/8, or `[::1]` (W3C Secure Contexts §3.1).
fn trustworthy(url: &url::Url) -> bool {
    url.scheme() == "https"
        || match url.host() {
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        }
}

/// The `Referer` a request to `target` carries when caused by a page at `source`
/// under `policy` (W3C Referrer Policy §8.3). `None` means no header.
pub fn referer_for(source: &str, target: &str, policy: ReferrerPolicy) -> Option<String> {
    let mut src = url::Url::parse(source).ok()?;
    if !matches!(src.scheme(), "http" | "https") {
        return None;
    }
    // §8.4 "strip url for use as a referrer": no fragment, no credentials.
    src.set_fragment(None);
    let _ = src.set_username("");
    let _ = src.set_password(None);
    let full = src.to_string();
    let origin = format!("{}/", src.origin().ascii_serialization());
    let Ok(dst) = url::Url::parse(target) else {
        return None;
    };
    let same_origin = src.origin() == dst.origin();
    let downgrade = trustworthy(&src) && !trustworthy(&dst);
    match policy {
        ReferrerPolicy::NoReferrer => None,
        ReferrerPolicy::UnsafeUrl => Some(full),
        ReferrerPolicy::NoReferrerWhenDowngrade => (!downgrade).then_some(full),
        ReferrerPolicy::SameOrigin => same_origin.then_some(full),
        ReferrerPolicy::Origin => Some(origin),
        ReferrerPolicy::StrictOrigin => (!downgrade).then_some(origin),
        ReferrerPolicy::OriginWhenCrossOrigin => Some(if same_origin { full } else { origin }),
        ReferrerPolicy::StrictOriginWhenCrossOrigin => {
            if same_origin {
                Some(full)
            } else if downgrade {
                None
            } else {
                Some(origin)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://client.example/cb?code=abc&state=xyz#frag";
    const CDN: &str = "https://cdn.example/pixel.gif";
    const SAME: &str = "https://client.example/app.js";
    const PLAIN: &str = "http://tracker.example/t";

    #[test]
    fn each_policy_matches_the_spec_table() {
        let full = "https://client.example/cb?code=abc&state=xyz";
        let origin = "https://client.example/";
        let cases: &[(ReferrerPolicy, [Option<&str>; 3])] = &[
            (ReferrerPolicy::NoReferrer, [None, None, None]),
            (
                ReferrerPolicy::NoReferrerWhenDowngrade,
                [Some(full), Some(full), None],
            ),
            (ReferrerPolicy::SameOrigin, [None, Some(full), None]),
            (
                ReferrerPolicy::Origin,
                [Some(origin), Some(origin), Some(origin)],
            ),
            (
                ReferrerPolicy::StrictOrigin,
                [Some(origin), Some(origin), None],
            ),
            (
                ReferrerPolicy::OriginWhenCrossOrigin,
                [Some(origin), Some(full), Some(origin)],
            ),
            (
                ReferrerPolicy::StrictOriginWhenCrossOrigin,
                [Some(origin), Some(full), None],
            ),
            (
                ReferrerPolicy::UnsafeUrl,
                [Some(full), Some(full), Some(full)],
            ),
        ];
        for (policy, [cdn, same, plain]) in cases {
            assert_eq!(
                referer_for(PAGE, CDN, *policy).as_deref(),
                *cdn,
                "{policy} cdn"
            );
            assert_eq!(
                referer_for(PAGE, SAME, *policy).as_deref(),
                *same,
                "{policy} same"
            );
            assert_eq!(
                referer_for(PAGE, PLAIN, *policy).as_deref(),
                *plain,
                "{policy} plain"
            );
        }
    }

    #[test]
    fn header_parsing_takes_the_last_known_token() {
        assert_eq!(
            ReferrerPolicy::parse_header("no-referrer, bogus"),
            Some(ReferrerPolicy::NoReferrer)
        );
        assert_eq!(
            ReferrerPolicy::parse_header("origin, Strict-Origin-When-Cross-Origin"),
            Some(ReferrerPolicy::StrictOriginWhenCrossOrigin)
        );
        assert_eq!(ReferrerPolicy::parse_header("nope"), None);
        assert_eq!(
            ReferrerPolicy::parse_token("never"),
            Some(ReferrerPolicy::NoReferrer)
        );
    }

    #[test]
    fn loopback_is_not_a_downgrade_and_garbage_gives_none() {
        assert!(
            referer_for(
                PAGE,
                "http://127.0.0.1:5000/x",
                ReferrerPolicy::NoReferrerWhenDowngrade
            )
            .is_some()
        );
        // Every address of 127.0.0.0/8 is loopback, as live mode's sites are.
        for target in ["http://127.0.0.4:9003/pixel.gif", "http://[::1]:9003/p"] {
            assert!(
                referer_for(PAGE, target, ReferrerPolicy::NoReferrerWhenDowngrade).is_some(),
                "{target}"
            );
        }
        assert_eq!(
            referer_for("com.example.photos:/cb", CDN, ReferrerPolicy::UnsafeUrl),
            None
        );
        assert_eq!(referer_for("::", CDN, ReferrerPolicy::UnsafeUrl), None);
    }
}
