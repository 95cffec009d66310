//! The attacker's move templates: each is a function from fields (filled from loot, or
//! typed) to a [`Move`] whose raw HTTP text the learner sees and may edit. A required
//! field left empty is an error that names it; a move whose text does not parse is an
//! error too (the editor keeps the text).

use std::collections::BTreeMap;

use http::{Method, StatusCode};
use serde::Serialize;

use crate::actors::ActorId;
use crate::actors::UserAction;
use crate::attacks::setup::{ATTACKER_BROWSER, injection_url};
use crate::protocol::html;
use crate::protocol::http_wire::{self, WireError};
use crate::protocol::requests::{ClientAuth, TokenRequest};
use crate::protocol::secret::{AuthorizationCode, CodeVerifier};
use crate::sim::{AttackerVerb, LearnerInput};

/// A template of an attacker's move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Template {
    /// Redeem a code at a token endpoint, as any `client_id`, with or without a PKCE
    /// verifier (RFC 6749 §4.1.3, RFC 7636 §4.5).
    RedeemCode,
    /// Use a refresh token (RFC 6749 §6).
    Refresh,
    /// Call the photo API with a bearer token (RFC 6750 §2.1).
    CallApi,
    /// Send Alice a link: she follows it (a `302` from the attacker's site).
    SendLink,
    /// Send Alice a page the attacker wrote (HTML).
    SendPage,
    /// Start Mallory's own sign-in at Photo Printer and stop it (`callback` or
    /// `authorize`).
    OwnLogin,
    /// Open Photo Printer's callback with a code (and `state`, `iss`) in Alice's browser
    /// (through a link) or in Mallory's own.
    InjectCallback,
    /// Send a captured request again, from the attacker.
    Replay,
}

/// One field of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Field {
    pub name: &'static str,
    pub required: bool,
    /// Used when the field is left empty.
    pub default: Option<&'static str>,
    /// What goes there, in plain words.
    pub help: &'static str,
}

const fn field(name: &'static str, help: &'static str) -> Field {
    Field {
        name,
        required: true,
        default: None,
        help,
    }
}

const fn optional(name: &'static str, help: &'static str) -> Field {
    Field {
        name,
        required: false,
        default: None,
        help,
    }
}

const fn with_default(name: &'static str, default: &'static str, help: &'static str) -> Field {
    Field {
        name,
        required: true,
        default: Some(default),
        help,
    }
}

/// A move, ready to send: which of the attacker's actors makes it, what kind it is, and
/// its text (an HTTP request, an HTTP response, a stop or a URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Move {
    pub by: String,
    pub kind: MoveKind,
    pub text: String,
}

/// What kind of move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MoveKind {
    /// `text` is an HTTP request `by` sends.
    Send,
    /// `text` is an HTTP response `by` serves to Alice, whom it lures there.
    Lure,
    /// `text` is where Mallory's own sign-in stops.
    OwnLogin,
    /// `text` is a URL Mallory's own browser opens.
    MalloryOpens,
}

/// Why a template or a move cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    #[error("the field `{0}` is empty")]
    Missing(&'static str),
    #[error("the text is not a valid HTTP message: {0}")]
    Parse(#[from] WireError),
    #[error("`{0}` is not a URL")]
    NotAUrl(String),
    #[error("Mallory's sign-in stops at `authorize` or `callback`, not `{0}`")]
    NoSuchStop(String),
}

impl Template {
    pub const ALL: [Template; 8] = [
        Template::RedeemCode,
        Template::Refresh,
        Template::CallApi,
        Template::SendLink,
        Template::SendPage,
        Template::OwnLogin,
        Template::InjectCallback,
        Template::Replay,
    ];

    /// Its name, as the console and docs show it.
    pub fn name(self) -> &'static str {
        match self {
            Template::RedeemCode => "redeem-code",
            Template::Refresh => "refresh",
            Template::CallApi => "call-api",
            Template::SendLink => "send-link",
            Template::SendPage => "send-page",
            Template::OwnLogin => "own-login",
            Template::InjectCallback => "inject-callback",
            Template::Replay => "replay",
        }
    }

    /// The template with this name.
    pub fn parse(name: &str) -> Option<Template> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Its fields, in the order the editor shows them.
    pub fn fields(self) -> &'static [Field] {
        match self {
            Template::RedeemCode => {
                const {
                    &[
                        field("code", "the authorization code"),
                        with_default(
                            "client_id",
                            "photo-frame",
                            "the client the request claims to be",
                        ),
                        optional(
                            "client_secret",
                            "a secret for HTTP Basic (empty: a public client)",
                        ),
                        with_default(
                            "redirect_uri",
                            "https://attacker.example/cb",
                            "the redirect_uri the code was issued for",
                        ),
                        optional("code_verifier", "the PKCE verifier (empty: none)"),
                        with_default(
                            "token_endpoint",
                            "https://as.example/token",
                            "where to send it",
                        ),
                    ]
                }
            }
            Template::Refresh => {
                const {
                    &[
                        field("refresh_token", "the refresh token"),
                        with_default(
                            "client_id",
                            "photos-app",
                            "the client the request claims to be",
                        ),
                        optional(
                            "client_secret",
                            "a secret for HTTP Basic (empty: a public client)",
                        ),
                        with_default(
                            "token_endpoint",
                            "https://as.example/token",
                            "where to send it",
                        ),
                    ]
                }
            }
            Template::CallApi => {
                const {
                    &[
                        field("access_token", "the bearer token"),
                        with_default("url", "https://rs.example/photos", "the API URL"),
                    ]
                }
            }
            Template::SendLink => const { &[field("url", "where the link takes Alice")] },
            Template::SendPage => const { &[field("html", "the page's HTML body")] },
            Template::OwnLogin => {
                const {
                    &[with_default(
                        "stop",
                        "callback",
                        "`callback` or `authorize`",
                    )]
                }
            }
            Template::InjectCallback => {
                const {
                    &[
                        field("code", "the code to inject"),
                        optional("state", "the state to send with it"),
                        optional("iss", "the iss to send with it"),
                        with_default(
                            "into",
                            "alice",
                            "whose browser opens it: `alice` or `mallory`",
                        ),
                    ]
                }
            }
            Template::Replay => const { &[field("message", "the captured request's wire text")] },
        }
    }

    /// The move with these fields, made by the attacker's actor `by` (Mallory's browser
    /// for an injection into her own).
    pub fn render(self, by: &str, values: &BTreeMap<String, String>) -> Result<Move, MoveError> {
        let get = |name: &'static str| -> Result<String, MoveError> {
            let f = (self.fields().iter()).find(|f| f.name == name);
            match values.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
                Some(v) => Ok(v.to_string()),
                None => match f.and_then(|f| f.default) {
                    Some(d) => Ok(d.to_string()),
                    None if f.is_some_and(|f| !f.required) => Ok(String::new()),
                    None => Err(MoveError::Missing(name)),
                },
            }
        };
        let opt = |v: String| (!v.is_empty()).then_some(v);
        let send = |text: String| Move {
            by: by.to_string(),
            kind: MoveKind::Send,
            text,
        };
        let lure = |resp: http_wire::Response| Move {
            by: by.to_string(),
            kind: MoveKind::Lure,
            text: http_wire::render_response(&resp),
        };
        let m = match self {
            Template::RedeemCode => {
                let code = get("code")?;
                let auth = client_auth(get("client_id")?, get("client_secret")?);
                let verifier = opt(get("code_verifier")?).map(|v| CodeVerifier::new(&v));
                let req = TokenRequest::authorization_code(
                    &AuthorizationCode::new(&code),
                    &get("redirect_uri")?,
                )
                .client_auth(&auth)
                .code_verifier(verifier.as_ref());
                send(http_wire::render_request(
                    &req.to_request(&get("token_endpoint")?),
                ))
            }
            Template::Refresh => {
                let rt = crate::protocol::secret::RefreshToken::new(&get("refresh_token")?);
                let auth = client_auth(get("client_id")?, get("client_secret")?);
                let req = TokenRequest::refresh_token(&rt).client_auth(&auth);
                send(http_wire::render_request(
                    &req.to_request(&get("token_endpoint")?),
                ))
            }
            Template::CallApi => {
                let url = get("url")?;
                check_url(&url)?;
                let mut req = http_wire::request(Method::GET, &url);
                let bearer = format!("Bearer {}", get("access_token")?);
                http_wire::set_header(req.headers_mut(), "authorization", &bearer);
                send(http_wire::render_request(&req))
            }
            Template::SendLink => lure(redirect_to(&get("url")?)?),
            Template::SendPage => {
                let mut r = http_wire::response(StatusCode::OK);
                http_wire::set_header(r.headers_mut(), "content-type", "text/html; charset=utf-8");
                *r.body_mut() = html::page("attacker.example", &get("html")?).into_bytes();
                lure(r)
            }
            Template::OwnLogin => Move {
                by: by.to_string(),
                kind: MoveKind::OwnLogin,
                text: get("stop")?,
            },
            Template::InjectCallback => {
                let (state, iss) = (opt(get("state")?), opt(get("iss")?));
                let url = injection_url(&get("code")?, state.as_deref(), iss.as_deref());
                if get("into")? == "mallory" {
                    Move {
                        by: ATTACKER_BROWSER.to_string(),
                        kind: MoveKind::MalloryOpens,
                        text: url,
                    }
                } else {
                    lure(redirect_to(&url)?)
                }
            }
            Template::Replay => send(get("message")?),
        };
        m.check()?;
        Ok(m)
    }
}

fn client_auth(client_id: String, secret: String) -> ClientAuth {
    if secret.is_empty() {
        ClientAuth::public(&client_id)
    } else {
        ClientAuth::basic(&client_id, &secret)
    }
}

fn check_url(url: &str) -> Result<(), MoveError> {
    http_wire::parse_url(url)
        .map(drop)
        .ok_or_else(|| MoveError::NotAUrl(url.to_string()))
}

/// A `302 Found` to `url` (a link the attacker's page follows at once).
fn redirect_to(url: &str) -> Result<http_wire::Response, MoveError> {
    check_url(url)?;
    let mut r = http_wire::response(StatusCode::FOUND);
    http_wire::set_header(r.headers_mut(), "location", url);
    Ok(r)
}

impl Move {
    /// Whether the text is what the kind needs: a request, a response, a stop, a URL.
    pub fn check(&self) -> Result<(), MoveError> {
        match self.kind {
            MoveKind::Send => drop(http_wire::parse_request(&self.text)?),
            MoveKind::Lure => drop(http_wire::parse_response(&self.text)?),
            MoveKind::OwnLogin if self.text == "authorize" || self.text == "callback" => {}
            MoveKind::OwnLogin => return Err(MoveError::NoSuchStop(self.text.clone())),
            MoveKind::MalloryOpens => check_url(&self.text)?,
        }
        Ok(())
    }

    /// The learner input that makes this move (checked first).
    pub fn to_input(&self) -> Result<LearnerInput, MoveError> {
        self.check()?;
        let verb = match self.kind {
            MoveKind::Send => AttackerVerb::Send,
            MoveKind::Lure => AttackerVerb::Lure,
            MoveKind::OwnLogin => AttackerVerb::OwnLogin,
            MoveKind::MalloryOpens => {
                return Ok(LearnerInput::Act {
                    to: ActorId::new(ATTACKER_BROWSER),
                    action: UserAction::Navigate {
                        url: self.text.clone(),
                    },
                });
            }
        };
        Ok(LearnerInput::AttackerMove {
            by: ActorId::new(&self.by),
            verb,
            text: self.text.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::well_known as wk;

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_missing_field_is_named() {
        let err = Template::RedeemCode
            .render("attacker", &values(&[]))
            .unwrap_err();
        assert_eq!(err, MoveError::Missing("code"));
        assert_eq!(err.to_string(), "the field `code` is empty");
    }

    #[test]
    fn a_redemption_is_a_token_request_with_the_fields() {
        let m = Template::RedeemCode
            .render(
                "evil-app",
                &values(&[
                    ("code", "abc"),
                    ("client_id", "photos-app"),
                    ("redirect_uri", wk::NATIVE_REDIRECT_URI),
                ]),
            )
            .unwrap();
        assert!(m.text.starts_with("POST /token HTTP/1.1\r\n"), "{}", m.text);
        assert!(m.text.contains("code=abc"), "{}", m.text);
        assert!(m.text.contains("client_id=photos-app"), "{}", m.text);
        assert!(!m.text.contains("code_verifier"), "{}", m.text);
        assert!(matches!(
            m.to_input().unwrap(),
            LearnerInput::AttackerMove {
                verb: AttackerVerb::Send,
                ..
            }
        ));
    }

    #[test]
    fn text_that_does_not_parse_is_an_error() {
        let m = Move {
            by: "attacker".into(),
            kind: MoveKind::Send,
            text: "hello".into(),
        };
        assert!(matches!(m.to_input(), Err(MoveError::Parse(_))));
    }

    #[test]
    fn an_injection_into_mallorys_browser_is_her_navigation() {
        let m = Template::InjectCallback
            .render(
                "attacker",
                &values(&[("code", "c"), ("state", "s"), ("into", "mallory")]),
            )
            .unwrap();
        assert_eq!(m.kind, MoveKind::MalloryOpens);
        assert_eq!(
            m.text,
            format!("{}?code=c&state=s", wk::CLIENT_REDIRECT_URI)
        );
    }
}
