//! What the web client is configured with: its registration at each AS it trusts.

use crate::actors::well_known as wk;
use crate::protocol::ed25519_key::Ed25519Key;
use crate::protocol::requests::ClientAuth;
use crate::protocol::secret::ClientSecret;

/// Photo Printer's assertion key (`private_key_jwt`): a fixed demo Ed25519 key, made
/// once per process; the standard AS registers its public half.
pub fn photo_printer_key() -> Ed25519Key {
    static KEY: std::sync::OnceLock<Ed25519Key> = std::sync::OnceLock::new();
    KEY.get_or_init(|| Ed25519Key::demo(wk::CLIENT_ID)).clone()
}

/// The client's registration at one authorization server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsRegistration {
    /// The issuer identifier the client expects (RFC 8414 §3.3, RFC 9207 §2.4).
    pub issuer: String,
    /// Where the client fetches the AS's metadata (RFC 8414 §3).
    pub metadata_url: String,
    pub client_id: String,
    pub client_secret: ClientSecret,
    pub redirect_uri: String,
    /// A short name the login page shows ("as.example").
    pub display_name: String,
    /// The key the client signs its assertions for this AS with (`private_key_jwt`,
    /// RFC 7523 §2.2); `None`: it has only its secret here.
    pub assertion_key: Option<Ed25519Key>,
    /// Authenticate with `private_key_jwt` here even while the `private-key-jwt`
    /// defense is off (the client's own setting).
    pub prefers_private_key_jwt: bool,
}

impl AsRegistration {
    /// How the client authenticates with its secret: `client_secret_basic`
    /// (RFC 6749 §2.3.1).
    pub fn secret_auth(&self) -> ClientAuth {
        ClientAuth::Basic {
            id: self.client_id.clone(),
            secret: self.client_secret.clone(),
        }
    }
}

/// The web client's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    pub id: String,
    pub origin: String,
    pub name: String,
    pub scope: String,
    /// The ASes the client trusts; the first is the default.
    pub auth_servers: Vec<AsRegistration>,
    /// The API the client calls with the access token.
    pub api_url: String,
    /// A third-party resource the callback page embeds (an analytics pixel, a CDN
    /// image), which is where the `Referer` leak of RFC 9700 §4.2 goes.
    pub callback_page_third_party: Option<String>,
    /// Third-party content on the home page (an ad, a widget, user content).
    pub home_page_third_party: Option<String>,
    /// The resource the client asks tokens for (RFC 8707 `resource`), if any.
    pub resource: Option<String>,
    /// Whether the client also has a page for the implicit flow at `/implicit-cb`
    /// (a script posts the URL fragment to `/implicit-token`). Used only while the
    /// `no-implicit-grant` defense is off.
    pub implicit_handler: bool,
    /// The `max_age` the client sends in its authorization requests (OIDC Core
    /// §3.1.2.1), if any; the ID token must then carry `auth_time` (§3.1.3.7 item 13).
    pub max_age: Option<u64>,
    /// Push every authorization request to an AS that offers a PAR endpoint, even when
    /// it does not require it (RFC 9126 §1; the client's own setting).
    pub push_authorization_requests: bool,
}

impl ClientConfig {
    /// Photo Printer at `https://client.example`, registered at `https://as.example`.
    pub fn standard() -> Self {
        ClientConfig {
            id: wk::CLIENT.to_string(),
            origin: wk::CLIENT_ORIGIN.to_string(),
            name: "Photo Printer".to_string(),
            scope: wk::CLIENT_SCOPE.to_string(),
            auth_servers: vec![AsRegistration {
                issuer: wk::AS_ISSUER.to_string(),
                metadata_url: format!("{}/.well-known/openid-configuration", wk::AS_ISSUER),
                client_id: wk::CLIENT_ID.to_string(),
                client_secret: ClientSecret::new(wk::CLIENT_SECRET),
                redirect_uri: wk::CLIENT_REDIRECT_URI.to_string(),
                display_name: "as.example".to_string(),
                assertion_key: Some(photo_printer_key()),
                prefers_private_key_jwt: false,
            }],
            api_url: format!("{}/photos", wk::RS_ORIGIN),
            callback_page_third_party: None,
            home_page_third_party: None,
            resource: None,
            implicit_handler: false,
            max_age: None,
            push_authorization_requests: false,
        }
    }
}
