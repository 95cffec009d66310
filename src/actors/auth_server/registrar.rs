//! The client registry: who the clients are, what type they are (RFC 6749 §2.1), which
//! redirect URIs they registered (RFC 6749 §3.1.2) and how a requested `redirect_uri`
//! is compared with those (RFC 9700 §4.1.3, RFC 8252 §7.3).

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::actors::defenses::RedirectMatching;
use crate::protocol::secret::{ClientSecret, Secret};

/// RFC 6749 §2.1: a confidential client can keep a secret, a public one cannot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientType {
    Confidential,
    Public,
}

impl ClientType {
    pub fn as_str(self) -> &'static str {
        match self {
            ClientType::Confidential => "confidential",
            ClientType::Public => "public",
        }
    }
}

/// The grant types a client may be registered for (RFC 7591 §2 `grant_types`):
/// the two the token endpoint serves (RFC 6749 §4.1.3, §6) and the implicit grant
/// (RFC 6749 §4.2), which has no token request — the authorization endpoint answers
/// `response_type=token` with the access token itself, and only while the
/// `no-implicit-grant` defense is off (RFC 9700 §2.1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantType {
    AuthorizationCode,
    RefreshToken,
    Implicit,
    /// RFC 6749 §4.4: a confidential client asks for a token for itself.
    ClientCredentials,
}

impl GrantType {
    /// The `grant_type` value on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            GrantType::AuthorizationCode => "authorization_code",
            GrantType::RefreshToken => "refresh_token",
            GrantType::Implicit => "implicit",
            GrantType::ClientCredentials => "client_credentials",
        }
    }

    /// Parses a grant type name (the inverse of [`GrantType::as_str`]). `implicit`
    /// parses, but is no `grant_type` the token endpoint accepts.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "authorization_code" => Some(GrantType::AuthorizationCode),
            "refresh_token" => Some(GrantType::RefreshToken),
            "implicit" => Some(GrantType::Implicit),
            "client_credentials" => Some(GrantType::ClientCredentials),
            _ => None,
        }
    }
}

/// One registered client (RFC 6749 §2; RFC 7591 §2 names the same fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRegistration {
    pub client_id: String,
    /// What the consent page calls the client.
    pub name: String,
    pub client_type: ClientType,
    /// The secret of a confidential client (RFC 6749 §2.3.1).
    pub secret: Option<ClientSecret>,
    /// Registered redirect URIs, compared as strings (RFC 9700 §2.1).
    pub redirect_uris: Vec<String>,
    /// The scopes the client may ask for (RFC 6749 §3.3).
    pub scopes: Vec<String>,
    pub grant_types: Vec<GrantType>,
    /// May call the introspection endpoint (RFC 7662 §2.1: the endpoint is protected).
    pub may_introspect: bool,
    /// The public key the client signs its assertions with, for `private_key_jwt`
    /// (RFC 7523 §2.2; RFC 7591 §2 `jwks`).
    pub assertion_key: Option<jsonwebtoken::jwk::Jwk>,
}

impl ClientRegistration {
    /// A confidential client with a secret and no redirect URIs, scopes or grants yet.
    pub fn confidential(client_id: &str, name: &str, secret: &str) -> Self {
        ClientRegistration {
            client_id: client_id.to_string(),
            name: name.to_string(),
            client_type: ClientType::Confidential,
            secret: Some(ClientSecret::new(secret)),
            redirect_uris: Vec::new(),
            scopes: Vec::new(),
            grant_types: Vec::new(),
            may_introspect: false,
            assertion_key: None,
        }
    }

    /// A public client (RFC 6749 §2.1; a native app, RFC 8252 §8.4).
    pub fn public(client_id: &str, name: &str) -> Self {
        ClientRegistration {
            client_type: ClientType::Public,
            secret: None,
            ..Self::confidential(client_id, name, "")
        }
    }

    /// Adds a redirect URI (checked when the client is registered).
    pub fn with_redirect_uri(mut self, uri: &str) -> Self {
        self.redirect_uris.push(uri.to_string());
        self
    }

    /// Sets the allowed scopes from a space-separated list.
    pub fn with_scopes(mut self, scope: &str) -> Self {
        self.scopes = scope.split_whitespace().map(str::to_string).collect();
        self
    }

    /// Sets the allowed grant types.
    pub fn with_grants(mut self, grants: &[GrantType]) -> Self {
        self.grant_types = grants.to_vec();
        self
    }

    /// Registers the public key the client's assertions are signed with
    /// (`private_key_jwt`, RFC 7523 §2.2).
    pub fn with_assertion_key(mut self, jwk: &jsonwebtoken::jwk::Jwk) -> Self {
        self.assertion_key = Some(jwk.clone());
        self
    }

    /// Lets the client call the introspection endpoint (a resource server).
    pub fn introspector(mut self) -> Self {
        self.may_introspect = true;
        self
    }

    pub fn is_confidential(&self) -> bool {
        self.client_type == ClientType::Confidential
    }

    pub fn allows_grant(&self, grant: GrantType) -> bool {
        self.grant_types.contains(&grant)
    }

    pub fn allows_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// Compares a presented secret with the registered one in constant time
    /// (docs/PROTOCOL.md item 15; RFC 6819 §5.1.4.2.3).
    pub fn secret_matches(&self, presented: &str) -> bool {
        self.secret.as_ref().is_some_and(|s| s.ct_eq(presented))
    }
}

/// Why a registration was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationError {
    #[error("client `{0}` is already registered")]
    DuplicateClient(String),
    #[error("redirect URI `{0}` has a fragment (RFC 6749 §3.1.2)")]
    FragmentInRedirectUri(String),
    #[error(
        "redirect URI `{0}` uses http on a host that is not loopback (RFC 6749 §3.1.2.1, RFC 8252 §8.3)"
    )]
    InsecureRedirectUri(String),
    #[error("redirect URI `{0}` is not an absolute URI (RFC 6749 §3.1.2)")]
    InvalidRedirectUri(String),
    #[error("confidential client `{0}` has no secret (RFC 6749 §2.3.1)")]
    MissingSecret(String),
    #[error("public client `{0}` cannot hold a secret (RFC 6749 §2.1)")]
    PublicClientWithSecret(String),
    #[error("user `{0}` is already registered")]
    DuplicateUser(String),
}

/// Whether a parsed URL points at the loopback interface (RFC 8252 §7.3, §8.3).
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Checks a redirect URI at registration (docs/PROTOCOL.md item 4): absolute (RFC 6749
/// §3.1.2), no fragment (§3.1.2), `https` or a private-use scheme, `http` only on
/// loopback (RFC 8252 §7.1, §7.3, §8.3), never `javascript:` or `data:`.
pub fn validate_redirect_uri(uri: &str) -> Result<(), RegistrationError> {
    if uri.contains('#') {
        return Err(RegistrationError::FragmentInRedirectUri(uri.to_string()));
    }
    let url =
        url::Url::parse(uri).map_err(|_| RegistrationError::InvalidRedirectUri(uri.to_string()))?;
    if url.cannot_be_a_base() || matches!(url.scheme(), "javascript" | "data" | "vbscript") {
        return Err(RegistrationError::InvalidRedirectUri(uri.to_string()));
    }
    if url.scheme() == "http" && !is_loopback(&url) {
        return Err(RegistrationError::InsecureRedirectUri(uri.to_string()));
    }
    Ok(())
}

/// For an `http` loopback URI written with a literal loopback host, the URI without its
/// port (RFC 8252 §7.3: "the authorization server MUST allow any port to be specified
/// at the time of the request for loopback IP redirect URIs"). The rest of the string
/// is kept as written, so the comparison stays an exact string comparison.
fn without_loopback_port(uri: &str) -> Option<String> {
    let rest = uri.strip_prefix("http://")?;
    let host_end = if rest.starts_with('[') {
        rest.find(']')? + 1
    } else {
        rest.find([':', '/', '?']).unwrap_or(rest.len())
    };
    let (host, after) = rest.split_at_checked(host_end)?;
    let loopback = host == "localhost"
        || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
        || host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .and_then(|h| h.parse::<Ipv6Addr>().ok())
            .is_some_and(|ip| ip.is_loopback());
    if !loopback {
        return None;
    }
    let path = match after.strip_prefix(':') {
        Some(p) => {
            let digits = p.find(['/', '?']).unwrap_or(p.len());
            let (port, path) = p.split_at_checked(digits)?;
            if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            path
        }
        None => after,
    };
    Some(format!("http://{host}{path}"))
}

/// Scheme, host and port of a URL, for host-only matching.
fn origin_of(uri: &str) -> Option<(String, Option<String>, Option<u16>)> {
    let url = url::Url::parse(uri).ok()?;
    Some((
        url.scheme().to_string(),
        url.host_str().map(str::to_ascii_lowercase),
        url.port_or_known_default(),
    ))
}

/// Whether `requested` matches the registered redirect URI under `mode`.
///
/// - `Exact`: simple string comparison (RFC 9700 §2.1, §4.1.3; RFC 6749 §3.1.2.3 with
///   RFC 3986 §6.2.1), except that the port of a loopback `http` URI may differ
///   (RFC 8252 §7.3). No normalisation: case, `..`, an added query or a longer path
///   all fail.
/// - `Prefix`: the requested URI starts with the registered one — the pattern matching
///   RFC 9700 §4.1.1 shows to be exploitable.
/// - `HostOnly`: same scheme, host and port, any path and query (RFC 9700 §4.1.1).
pub fn redirect_matches(registered: &str, requested: &str, mode: RedirectMatching) -> bool {
    match mode {
        RedirectMatching::Exact => {
            registered == requested
                || matches!(
                    (without_loopback_port(registered), without_loopback_port(requested)),
                    (Some(a), Some(b)) if a == b
                )
        }
        RedirectMatching::Prefix => requested.starts_with(registered),
        RedirectMatching::HostOnly => match (origin_of(registered), origin_of(requested)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        },
    }
}

/// The registered clients.
#[derive(Debug, Clone, Default)]
pub struct Registrar {
    clients: BTreeMap<String, ClientRegistration>,
}

impl Registrar {
    /// Registers a client after checking its redirect URIs (docs/PROTOCOL.md item 4) and
    /// its credentials (RFC 6749 §2.1, §2.3.1).
    pub fn register(&mut self, reg: ClientRegistration) -> Result<(), RegistrationError> {
        if self.clients.contains_key(&reg.client_id) {
            return Err(RegistrationError::DuplicateClient(reg.client_id));
        }
        for uri in &reg.redirect_uris {
            validate_redirect_uri(uri)?;
        }
        match (reg.client_type, &reg.secret) {
            (ClientType::Confidential, None) => {
                return Err(RegistrationError::MissingSecret(reg.client_id));
            }
            (ClientType::Confidential, Some(s)) if s.expose().is_empty() => {
                return Err(RegistrationError::MissingSecret(reg.client_id));
            }
            (ClientType::Public, Some(_)) => {
                return Err(RegistrationError::PublicClientWithSecret(reg.client_id));
            }
            _ => {}
        }
        self.clients.insert(reg.client_id.clone(), reg);
        Ok(())
    }

    pub fn get(&self, client_id: &str) -> Option<&ClientRegistration> {
        self.clients.get(client_id)
    }

    pub fn clients(&self) -> impl Iterator<Item = &ClientRegistration> {
        self.clients.values()
    }

    /// The redirect URI an authorization response goes to, or why there is none
    /// (docs/PROTOCOL.md item 3; RFC 6749 §3.1.2.3: with one registered URI the parameter
    /// may be omitted; with several it is required).
    pub fn resolve_redirect(
        client: &ClientRegistration,
        requested: Option<&str>,
        mode: RedirectMatching,
    ) -> Result<String, String> {
        let Some(requested) = requested else {
            return match client.redirect_uris.as_slice() {
                [only] => Ok(only.clone()),
                [] => Err(format!(
                    "client `{}` has no registered redirect URI",
                    client.client_id
                )),
                _ => Err(format!(
                    "client `{}` registered several redirect URIs, so redirect_uri is required",
                    client.client_id
                )),
            };
        };
        if requested.contains('#') {
            return Err("redirect_uri must not contain a fragment (RFC 6749 §3.1.2)".into());
        }
        if url::Url::parse(requested).is_err() {
            return Err("redirect_uri is not an absolute URI (RFC 6749 §3.1.2)".into());
        }
        if client
            .redirect_uris
            .iter()
            .any(|r| redirect_matches(r, requested, mode))
        {
            Ok(requested.to_string())
        } else {
            Err(format!(
                "redirect_uri `{requested}` does not match a URI registered for `{}`",
                client.client_id
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RedirectMatching::*;

    const REG: &str = "https://client.example/cb";

    #[test]
    fn exact_matching_refuses_every_variation() {
        assert!(redirect_matches(REG, REG, Exact));
        for bad in [
            "https://client.example/cb?x=1",
            "https://client.example/cb/",
            "https://client.example/cb/../evil",
            "https://client.example/a/../cb",
            "https://CLIENT.example/cb",
            "https://client.example/CB",
            "https://client.example:8443/cb",
            "https://client.example/cbx",
            "https://client.example/cb.attacker.example",
            "http://client.example/cb",
            "https://client.example.attacker.example/cb",
        ] {
            assert!(!redirect_matches(REG, bad, Exact), "{bad}");
        }
    }

    #[test]
    fn exact_matching_relaxes_only_the_loopback_port() {
        let reg = "http://127.0.0.1/cb";
        assert!(redirect_matches(reg, "http://127.0.0.1:51004/cb", Exact));
        assert!(redirect_matches(reg, "http://127.0.0.1/cb", Exact));
        assert!(redirect_matches(
            "http://[::1]/cb",
            "http://[::1]:8080/cb",
            Exact
        ));
        for bad in [
            "http://127.0.0.1:51004/cb?x=1",
            "http://127.0.0.1:51004/cb/../x",
            "http://127.0.0.1:51004/CB",
            "http://127.0.0.1:abc/cb",
            "http://127.0.0.2:80/cb",
            "https://127.0.0.1:51004/cb",
            "http://127.0.0.1.attacker.example:80/cb",
        ] {
            assert!(!redirect_matches(reg, bad, Exact), "{bad}");
        }
        // No port relaxation for non-loopback hosts.
        assert!(!redirect_matches(
            REG,
            "https://client.example:443/cb",
            Exact
        ));
    }

    #[test]
    fn prefix_and_host_only_are_lax() {
        assert!(redirect_matches(
            REG,
            "https://client.example/cb/../evil",
            Prefix
        ));
        assert!(redirect_matches(
            REG,
            "https://client.example/cb?x=1",
            Prefix
        ));
        assert!(!redirect_matches(
            REG,
            "https://client.example/other",
            Prefix
        ));
        assert!(redirect_matches(
            REG,
            "https://client.example/other",
            HostOnly
        ));
        assert!(redirect_matches(
            REG,
            "https://Client.Example/x?y",
            HostOnly
        ));
        assert!(!redirect_matches(
            REG,
            "https://attacker.example/cb",
            HostOnly
        ));
        assert!(!redirect_matches(REG, "http://client.example/cb", HostOnly));
        assert!(redirect_matches(
            "com.example.photos:/cb",
            "com.example.photos:/other",
            HostOnly
        ));
    }

    #[test]
    fn registration_refuses_fragments_and_plain_http() {
        let mut r = Registrar::default();
        let base = || ClientRegistration::confidential("c", "C", "s");
        let mut refused = |uri: &str| r.register(base().with_redirect_uri(uri)).unwrap_err();
        use RegistrationError::{FragmentInRedirectUri, InsecureRedirectUri, InvalidRedirectUri};
        assert!(matches!(
            refused("https://c.example/cb#x"),
            FragmentInRedirectUri(_)
        ));
        assert!(matches!(
            refused("http://c.example/cb"),
            InsecureRedirectUri(_)
        ));
        assert!(matches!(refused("/cb"), InvalidRedirectUri(_)));
        assert!(matches!(
            refused("javascript:alert(1)"),
            InvalidRedirectUri(_)
        ));
        assert!(matches!(
            r.register(
                ClientRegistration::public("p", "P").with_redirect_uri("http://localhost/cb")
            ),
            Ok(())
        ));
        assert!(
            r.register(
                base()
                    .with_redirect_uri("http://127.0.0.1/cb")
                    .with_redirect_uri("com.example.photos:/cb")
            )
            .is_ok()
        );
        assert!(matches!(
            r.register(base()),
            Err(RegistrationError::DuplicateClient(_))
        ));
        assert!(matches!(
            r.register(ClientRegistration::confidential("d", "D", "")),
            Err(RegistrationError::MissingSecret(_))
        ));
    }

    #[test]
    fn a_missing_redirect_uri_needs_exactly_one_registered() {
        let one = ClientRegistration::confidential("c", "C", "s").with_redirect_uri(REG);
        assert_eq!(
            Registrar::resolve_redirect(&one, None, Exact).as_deref(),
            Ok(REG)
        );
        let two = one.clone().with_redirect_uri("https://client.example/cb2");
        assert!(Registrar::resolve_redirect(&two, None, Exact).is_err());
        assert!(
            Registrar::resolve_redirect(&two, Some("https://client.example/cb2"), Exact).is_ok()
        );
        assert!(
            Registrar::resolve_redirect(&one, Some("https://client.example/cb#f"), Prefix).is_err()
        );
        assert!(Registrar::resolve_redirect(&one, Some("not a uri"), HostOnly).is_err());
    }
}
