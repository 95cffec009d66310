//! A cookie jar (RFC 6265): cookies are kept per host, replaced by name, deleted by
//! `Max-Age=0` or an `Expires` date before the simulation's year, and sent in a
//! `Cookie` header to the host that set them (RFC 6265 §5.4).
//!
//! Simplifications, on purpose: `Path`, `Domain` and `SameSite` are kept for the State
//! view but not enforced (every cookie goes to every path of its host, as if set with
//! `Path=/`, and cross-site requests carry cookies as pre-2020 browsers did); `Secure`
//! is enforced (not sent over plain http, except to a loopback host, which browsers
//! treat as a secure context: W3C Secure Contexts §3.2, RFC 6265bis §5.8.3).

use std::collections::BTreeMap;

/// One stored cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cookie {
    pub name: String,
    pub value: String,
    pub path: Option<String>,
    pub secure: bool,
    pub http_only: bool,
    pub same_site: Option<String>,
}

impl Cookie {
    /// `name=value; Path=/; Secure; HttpOnly; SameSite=Lax`, for the State view.
    pub fn describe(&self) -> String {
        let mut s = format!("{}={}", self.name, self.value);
        if let Some(p) = &self.path {
            s.push_str(&format!("; Path={p}"));
        }
        if self.secure {
            s.push_str("; Secure");
        }
        if self.http_only {
            s.push_str("; HttpOnly");
        }
        if let Some(ss) = &self.same_site {
            s.push_str(&format!("; SameSite={ss}"));
        }
        s
    }
}

/// What a `Set-Cookie` header asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetCookie {
    Store(Cookie),
    /// Delete the cookie of this name (`Max-Age=0` or an `Expires` in the past).
    Delete(String),
}

/// The year the simulated clock starts in (2026-01-01, `clock::EPOCH_UNIX_SECS`).
const SIM_YEAR: u32 = 2026;

/// Parses a `Set-Cookie` header value (RFC 6265 §5.2). `None` if it has no `name=`.
pub fn parse_set_cookie(header: &str) -> Option<SetCookie> {
    let mut parts = header.split(';');
    let (name, value) = parts.next()?.split_once('=')?;
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let mut cookie = Cookie {
        name: name.to_string(),
        value: value.trim().trim_matches('"').to_string(),
        path: None,
        secure: false,
        http_only: false,
        same_site: None,
    };
    let mut delete = false;
    for attr in parts {
        let (k, v) = attr.split_once('=').unwrap_or((attr, ""));
        let v = v.trim();
        match k.trim().to_ascii_lowercase().as_str() {
            "path" => cookie.path = Some(v.to_string()),
            "secure" => cookie.secure = true,
            "httponly" => cookie.http_only = true,
            "samesite" => cookie.same_site = Some(v.to_string()),
            "max-age" if v.parse::<i64>().is_ok_and(|n| n <= 0) => delete = true,
            "expires" => {
                let year = v
                    .split(|c: char| !c.is_ascii_digit())
                    .filter(|t| t.len() == 4)
                    .find_map(|t| t.parse::<u32>().ok());
                if year.is_some_and(|y| y < SIM_YEAR) {
                    delete = true;
                }
            }
            _ => {}
        }
    }
    Some(if delete {
        SetCookie::Delete(cookie.name)
    } else {
        SetCookie::Store(cookie)
    })
}

/// Cookies per host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CookieJar {
    by_host: BTreeMap<String, Vec<Cookie>>,
}

impl CookieJar {
    /// Applies one `Set-Cookie` header received from `host`. Returns what changed, in
    /// words, or `None` if the header was ignored.
    pub fn apply(&mut self, host: &str, header: &str) -> Option<String> {
        let host = host.to_ascii_lowercase();
        match parse_set_cookie(header)? {
            SetCookie::Store(c) => {
                let jar = self.by_host.entry(host.clone()).or_default();
                let what = format!("stores cookie {} for {host}", c.name);
                jar.retain(|old| old.name != c.name);
                jar.push(c);
                Some(what)
            }
            SetCookie::Delete(name) => {
                let jar = self.by_host.entry(host.clone()).or_default();
                jar.retain(|old| old.name != name);
                if jar.is_empty() {
                    self.by_host.remove(&host);
                }
                Some(format!("deletes cookie {name} for {host}"))
            }
        }
    }

    /// The cookies stored for `host`.
    pub fn for_host(&self, host: &str) -> &[Cookie] {
        self.by_host
            .get(&host.to_ascii_lowercase())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The value of one cookie.
    pub fn get(&self, host: &str, name: &str) -> Option<&str> {
        self.for_host(host)
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.value.as_str())
    }

    /// The `Cookie` header for a request to `host` over `scheme` (`None` if empty).
    /// `Secure` cookies go over https, and to loopback hosts (live mode's servers).
    pub fn header_for(&self, scheme: &str, host: &str) -> Option<String> {
        let secure = scheme.eq_ignore_ascii_case("https") || is_loopback_host(host);
        let pairs: Vec<String> = self
            .for_host(host)
            .iter()
            .filter(|c| secure || !c.secure)
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }

    /// Every host with cookies, and its cookies.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[Cookie])> {
        self.by_host.iter().map(|(h, c)| (h.as_str(), c.as_slice()))
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.by_host.clear();
    }
}

/// `127.0.0.0/8`, `[::1]` or `localhost`: potentially trustworthy origins (W3C Secure
/// Contexts §3.2).
fn is_loopback_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_replaces_deletes_and_sends() {
        let mut jar = CookieJar::default();
        jar.apply(
            "Client.Example",
            "sid=1; Path=/; Secure; HttpOnly; SameSite=Lax",
        );
        jar.apply("client.example", "theme=dark");
        jar.apply("client.example", "sid=2; Secure");
        assert_eq!(jar.get("client.example", "sid"), Some("2"));
        assert_eq!(
            jar.header_for("https", "client.example").as_deref(),
            Some("theme=dark; sid=2")
        );
        assert_eq!(
            jar.header_for("http", "client.example").as_deref(),
            Some("theme=dark")
        );
        assert_eq!(jar.header_for("https", "as.example"), None);
        jar.apply("client.example", "theme=; Max-Age=0");
        jar.apply(
            "client.example",
            "sid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        );
        assert_eq!(jar.header_for("https", "client.example"), None);
    }

    #[test]
    fn garbage_is_ignored() {
        let mut jar = CookieJar::default();
        for h in [
            "",
            "novalue",
            "=x",
            ";;;",
            "a=b; Max-Age=zz; Expires=\u{ff}",
        ] {
            jar.apply("h.example", h);
        }
        assert_eq!(jar.for_host("h.example").len(), 1);
        assert_eq!(jar.for_host("h.example")[0].describe(), "a=b",);
    }
}
