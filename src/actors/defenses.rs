//! The defenses a learner can toggle. Each one changes exactly the behaviour it names,
//! in the code of the actor that owns it; "on" is always the safe setting, and the
//! `bcp` profile (RFC 9700) has every defense on.

use serde::{Deserialize, Serialize};

/// Which PKCE method the client uses (RFC 7636 §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PkceMethod {
    Off,
    Plain,
    #[serde(rename = "S256")]
    S256,
}

/// How the AS compares a `redirect_uri` with the registered ones (RFC 9700 §4.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RedirectMatching {
    /// Exact string comparison (RFC 9700 §2.1), loopback ports excepted (RFC 8252 §7.3).
    Exact,
    /// Any URI that starts with a registered one.
    Prefix,
    /// Any URI on the host of a registered one.
    HostOnly,
}

/// The defenses in force. Field docs name the RFC section each one comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Defenses {
    /// Client sends `state` and checks it on the callback (RFC 6749 §10.12).
    pub state: bool,
    /// Client sends `nonce` and checks it in the ID token (OIDC Core §3.1.2.1, §15.5.2).
    pub nonce: bool,
    /// PKCE method the client uses (RFC 7636 §4.2; RFC 9700 §2.1.1).
    pub pkce: PkceMethod,
    /// AS requires a `code_challenge` (RFC 9700 §2.1.1).
    pub pkce_required: bool,
    /// AS refuses `code_challenge_method=plain` (RFC 7636 §4.2, §7.2).
    pub reject_pkce_plain: bool,
    /// AS refuses a `code_verifier` when no challenge was stored (RFC 9700 §4.8.2).
    pub reject_verifier_without_challenge: bool,
    /// How the AS matches redirect URIs (RFC 9700 §4.1.3).
    pub redirect_matching: RedirectMatching,
    /// AS shows an error page, never a redirect, for an invalid redirect URI
    /// (RFC 6749 §4.1.2.1, RFC 9700 §4.11.2).
    pub no_redirect_on_invalid_uri: bool,
    /// AS accepts each code once (RFC 6749 §4.1.2).
    pub one_time_codes: bool,
    /// AS revokes the tokens of a code that is redeemed twice (RFC 6749 §4.1.2, §10.5).
    pub revoke_on_code_reuse: bool,
    /// Code lifetime in seconds; `None` = codes never expire (RFC 6749 §4.1.2).
    pub code_lifetime_secs: Option<u64>,
    /// AS redeems a code only for the client it was issued to (RFC 6749 §4.1.3).
    pub code_bound_to_client: bool,
    /// AS checks `redirect_uri` at the token endpoint (RFC 6749 §4.1.3).
    pub token_redirect_uri_check: bool,
    /// AS sends `iss` in the authorization response and the client checks it (RFC 9207).
    pub iss_parameter: bool,
    /// Refresh tokens rotate; reuse of a consumed one revokes the family (RFC 9700 §4.14.2).
    pub refresh_rotation: bool,
    /// RS checks the access token's `aud` (RFC 9068 §4, RFC 9700 §4.10).
    pub audience_check: bool,
    /// RS accepts RS256 only, whatever the token header says (RFC 8725 §3.1).
    pub alg_pinning: bool,
    /// RS asks the AS whether a token is still active (RFC 7662), so revocation takes effect.
    pub token_introspection: bool,
    /// Client callback page sends `Referrer-Policy: no-referrer` (RFC 9700 §4.2.4).
    pub referrer_policy: bool,
    /// AS answers form POSTs with 303, not 307 (RFC 9700 §4.12).
    pub login_303: bool,
    /// AS never grants more scope at the token or refresh endpoint than was consented
    /// (RFC 6749 §3.3, §6; RFC 6819 §5.1.5.1).
    pub consented_scope_enforced: bool,
    /// AS refuses the implicit grant and the client accepts tokens only from its own
    /// token requests (RFC 9700 §2.1.2).
    pub no_implicit_grant: bool,
}

/// A named set of defenses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Every defense on: RFC 9700, OAuth 2.0 Security Best Current Practice.
    Bcp,
    /// A typical 2012 deployment: `state`, lax redirect matching, nothing RFC 9700 added.
    Rfc6749,
    /// Every defense off.
    Naive,
}

impl Profile {
    pub const ALL: [Profile; 3] = [Profile::Naive, Profile::Rfc6749, Profile::Bcp];

    pub fn name(self) -> &'static str {
        match self {
            Profile::Bcp => "bcp",
            Profile::Rfc6749 => "rfc6749",
            Profile::Naive => "naive",
        }
    }

    pub fn parse(s: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.name() == s)
    }

    pub fn description(self) -> &'static str {
        match self {
            Profile::Bcp => "every defense on (RFC 9700, OAuth 2.0 Security BCP)",
            Profile::Rfc6749 => {
                "a typical 2012 deployment: state on, prefix redirect matching, nothing RFC 9700 added"
            }
            Profile::Naive => "every defense off",
        }
    }

    pub fn defenses(self) -> Defenses {
        match self {
            Profile::Bcp => Defenses::bcp(),
            Profile::Rfc6749 => Defenses::rfc6749(),
            Profile::Naive => Defenses::naive(),
        }
    }
}

/// Description of one toggle, for `oauth-lab defenses`, the UI and the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefenseInfo {
    /// The name used by `--enable` / `--disable`.
    pub name: &'static str,
    /// Who enforces it.
    pub owner: &'static str,
    pub explanation: &'static str,
    pub rfc: &'static str,
    /// The value when on, and when off, as shown to learners.
    pub on_value: &'static str,
    pub off_value: &'static str,
}

/// Every toggle, in the order the UI lists them.
pub const DEFENSES: &[DefenseInfo] = &[
    DefenseInfo {
        name: "state",
        owner: "client",
        explanation: "client sends a one-time `state` bound to the browser session and checks it on the callback",
        rfc: "RFC 6749 §10.12",
        on_value: "on",
        off_value: "off",
    },
    DefenseInfo {
        name: "nonce",
        owner: "client",
        explanation: "client sends a `nonce` and checks it in the ID token",
        rfc: "OIDC Core §3.1.2.1, §15.5.2",
        on_value: "on",
        off_value: "off",
    },
    DefenseInfo {
        name: "pkce",
        owner: "client",
        explanation: "client sends a PKCE challenge (on: S256; `--set pkce=plain` for plain)",
        rfc: "RFC 7636 §4; RFC 9700 §2.1.1",
        on_value: "S256",
        off_value: "off",
    },
    DefenseInfo {
        name: "pkce-required",
        owner: "AS",
        explanation: "AS refuses an authorization request without `code_challenge`",
        rfc: "RFC 9700 §2.1.1",
        on_value: "on",
        off_value: "off",
    },
    DefenseInfo {
        name: "reject-pkce-plain",
        owner: "AS",
        explanation: "AS refuses `code_challenge_method=plain` (and a missing method)",
        rfc: "RFC 7636 §4.2, §7.2",
        on_value: "on",
        off_value: "off",
    },
    DefenseInfo {
        name: "reject-verifier-without-challenge",
        owner: "AS",
        explanation: "AS refuses a `code_verifier` for a code that had no challenge (PKCE downgrade)",
        rfc: "RFC 9700 §4.8.2",
        on_value: "on",
        off_value: "off",
    },
    DefenseInfo {
        name: "redirect-matching",
        owner: "AS",
        explanation: "AS compares `redirect_uri` by exact string (on) or by host only (off; `--set redirect-matching=prefix`)",
        rfc: "RFC 9700 §4.1.3; RFC 8252 §7.3",
        on_value: "exact",
        off_value: "host-only",
    },
    DefenseInfo {
        name: "no-redirect-on-invalid-uri",
        owner: "AS",
        explanation: "AS shows an error page, never a redirect, when the redirect URI or client is invalid",
        rfc: "RFC 6749 §4.1.2.1; RFC 9700 §4.11.2",
        on_value: "on",
        off_value: "off",
    },
    DefenseInfo {
        name: "one-time-codes",
        owner: "AS",
        explanation: "AS accepts each authorization code once",
        rfc: "RFC 6749 §4.1.2",
        on_value: "on",
        off_value: "off",
    },
    DefenseInfo {
        name: "revoke-on-code-reuse",
        owner: "AS",
        explanation: "AS revokes every token issued from a code that is redeemed twice",
        rfc: "RFC 6749 §4.1.2, §10.5",
        on_value: "on",
        off_value: "off",
    },
    DefenseInfo {
        name: "code-lifetime",
        owner: "AS",
        explanation: "authorization codes expire after 60 s of simulated time (off: never)",
        rfc: "RFC 6749 §4.1.2",
        on_value: "60",
        off_value: "none",
    },
    DefenseInfo {
        name: "code-bound-to-client",
        owner: "AS",
        explanation: "AS redeems a code only for the client it was issued to",
        rfc: "RFC 6749 §4.1.3",
        on_value: "on",
        off_value: "off",
    },
    DefenseInfo {
        name: "token-redirect-uri-check",
        owner: "AS",
        explanation: "AS checks that `redirect_uri` at the token endpoint equals the authorization request's",
        rfc: "RFC 6749 §4.1.3",
        on_value: "on",
        off_value: "off",
    },
    DefenseInfo {
        name: "iss-parameter",
        owner: "AS + client",
        explanation: "AS adds `iss` to the authorization response and the client checks it",
        rfc: "RFC 9207 §2; RFC 9700 §4.4.2",
        on_value: "on",
        off_value: "off",
    },
    DefenseInfo {
        name: "refresh-rotation",
        owner: "AS",
        explanation: "refresh tokens rotate on use; reusing a consumed one revokes the whole grant",
        rfc: "RFC 9700 §4.14.2",
        on_value: "on",
        off_value: "off",
    },
    DefenseInfo {
        name: "audience-check",
        owner: "RS",
        explanation: "RS accepts only access tokens whose `aud` is its own identifier",
        rfc: "RFC 9068 §4; RFC 9700 §4.10",
        on_value: "on",
        off_value: "off",
    },
    DefenseInfo {
        name: "alg-pinning",
        owner: "RS",
        explanation: "RS verifies RS256 only, never the algorithm the token's header names",
        rfc: "RFC 8725 §2.1, §3.1",
        on_value: "on",
        off_value: "off",
    },
    DefenseInfo {
        name: "token-introspection",
        owner: "RS",
        explanation: "RS asks the AS whether each token is still active, so revocation takes effect",
        rfc: "RFC 7662 §2",
        on_value: "on",
        off_value: "off",
    },
    DefenseInfo {
        name: "referrer-policy",
        owner: "client",
        explanation: "client's callback page sends `Referrer-Policy: no-referrer`",
        rfc: "RFC 9700 §4.2.4",
        on_value: "on",
        off_value: "off",
    },
    DefenseInfo {
        name: "login-303",
        owner: "AS",
        explanation: "AS answers form POSTs (login, consent) with 303 See Other, not 307",
        rfc: "RFC 9700 §4.12",
        on_value: "on",
        off_value: "off",
    },
    DefenseInfo {
        name: "consented-scope-enforced",
        owner: "AS",
        explanation: "AS never grants more scope at the token or refresh endpoint than the user consented to",
        rfc: "RFC 6749 §3.3, §6; RFC 6819 §5.1.5.1",
        on_value: "on",
        off_value: "off",
    },
    DefenseInfo {
        name: "no-implicit-grant",
        owner: "AS + client",
        explanation: "AS refuses response_type=token; the client takes tokens only from its own token requests",
        rfc: "RFC 9700 §2.1.2",
        on_value: "on",
        off_value: "off",
    },
];

/// An unknown defense name or value, with the valid choices.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DefenseError {
    #[error("unknown defense `{0}`; valid names: {names}", names = defense_names().join(", "))]
    UnknownName(String),
    #[error("invalid value `{value}` for `{name}`; valid values: {valid}")]
    BadValue {
        name: String,
        value: String,
        valid: String,
    },
    #[error("unknown profile `{0}`; valid profiles: naive, rfc6749, bcp")]
    UnknownProfile(String),
}

/// Every defense name.
pub fn defense_names() -> Vec<&'static str> {
    DEFENSES.iter().map(|d| d.name).collect()
}

/// The default code lifetime with `code-lifetime` on (RFC 9700 §4.5.3 recommends short).
pub const SHORT_CODE_LIFETIME_SECS: u64 = 60;

impl Defenses {
    /// RFC 9700: every defense on.
    pub fn bcp() -> Self {
        Defenses {
            state: true,
            nonce: true,
            pkce: PkceMethod::S256,
            pkce_required: true,
            reject_pkce_plain: true,
            reject_verifier_without_challenge: true,
            redirect_matching: RedirectMatching::Exact,
            no_redirect_on_invalid_uri: true,
            one_time_codes: true,
            revoke_on_code_reuse: true,
            code_lifetime_secs: Some(SHORT_CODE_LIFETIME_SECS),
            code_bound_to_client: true,
            token_redirect_uri_check: true,
            iss_parameter: true,
            refresh_rotation: true,
            audience_check: true,
            alg_pinning: true,
            token_introspection: true,
            referrer_policy: true,
            login_303: true,
            consented_scope_enforced: true,
            no_implicit_grant: true,
        }
    }

    /// Every defense off.
    pub fn naive() -> Self {
        let mut d = Self::bcp();
        for info in DEFENSES {
            d.set_on(info.name, false)
                .expect("every listed name is settable");
        }
        d
    }

    /// A typical RFC 6749 (2012) deployment: what RFC 6749 itself requires (`state`
    /// recommended, one-time codes, client binding, redirect_uri at the token endpoint,
    /// a 10-minute code lifetime), prefix redirect matching, nothing RFC 9700 added.
    pub fn rfc6749() -> Self {
        Defenses {
            state: true,
            one_time_codes: true,
            code_bound_to_client: true,
            token_redirect_uri_check: true,
            code_lifetime_secs: Some(600),
            redirect_matching: RedirectMatching::Prefix,
            login_303: true,
            consented_scope_enforced: true,
            ..Self::naive()
        }
    }

    /// Whether the named defense is at its "on" (safe) value.
    pub fn is_on(&self, name: &str) -> Result<bool, DefenseError> {
        Ok(match name {
            "state" => self.state,
            "nonce" => self.nonce,
            "pkce" => self.pkce == PkceMethod::S256,
            "pkce-required" => self.pkce_required,
            "reject-pkce-plain" => self.reject_pkce_plain,
            "reject-verifier-without-challenge" => self.reject_verifier_without_challenge,
            "redirect-matching" => self.redirect_matching == RedirectMatching::Exact,
            "no-redirect-on-invalid-uri" => self.no_redirect_on_invalid_uri,
            "one-time-codes" => self.one_time_codes,
            "revoke-on-code-reuse" => self.revoke_on_code_reuse,
            "code-lifetime" => self.code_lifetime_secs.is_some(),
            "code-bound-to-client" => self.code_bound_to_client,
            "token-redirect-uri-check" => self.token_redirect_uri_check,
            "iss-parameter" => self.iss_parameter,
            "refresh-rotation" => self.refresh_rotation,
            "audience-check" => self.audience_check,
            "alg-pinning" => self.alg_pinning,
            "token-introspection" => self.token_introspection,
            "referrer-policy" => self.referrer_policy,
            "login-303" => self.login_303,
            "consented-scope-enforced" => self.consented_scope_enforced,
            "no-implicit-grant" => self.no_implicit_grant,
            other => return Err(DefenseError::UnknownName(other.to_string())),
        })
    }

    /// Turns the named defense on (its safe value) or off.
    pub fn set_on(&mut self, name: &str, on: bool) -> Result<(), DefenseError> {
        match name {
            "state" => self.state = on,
            "nonce" => self.nonce = on,
            "pkce" => {
                self.pkce = if on {
                    PkceMethod::S256
                } else {
                    PkceMethod::Off
                }
            }
            "pkce-required" => self.pkce_required = on,
            "reject-pkce-plain" => self.reject_pkce_plain = on,
            "reject-verifier-without-challenge" => self.reject_verifier_without_challenge = on,
            "redirect-matching" => {
                self.redirect_matching = if on {
                    RedirectMatching::Exact
                } else {
                    RedirectMatching::HostOnly
                }
            }
            "no-redirect-on-invalid-uri" => self.no_redirect_on_invalid_uri = on,
            "one-time-codes" => self.one_time_codes = on,
            "revoke-on-code-reuse" => self.revoke_on_code_reuse = on,
            "code-lifetime" => self.code_lifetime_secs = on.then_some(SHORT_CODE_LIFETIME_SECS),
            "code-bound-to-client" => self.code_bound_to_client = on,
            "token-redirect-uri-check" => self.token_redirect_uri_check = on,
            "iss-parameter" => self.iss_parameter = on,
            "refresh-rotation" => self.refresh_rotation = on,
            "audience-check" => self.audience_check = on,
            "alg-pinning" => self.alg_pinning = on,
            "token-introspection" => self.token_introspection = on,
            "referrer-policy" => self.referrer_policy = on,
            "login-303" => self.login_303 = on,
            "consented-scope-enforced" => self.consented_scope_enforced = on,
            "no-implicit-grant" => self.no_implicit_grant = on,
            other => return Err(DefenseError::UnknownName(other.to_string())),
        }
        Ok(())
    }

    /// Toggles the named defense.
    pub fn toggle(&mut self, name: &str) -> Result<bool, DefenseError> {
        let now = !self.is_on(name)?;
        self.set_on(name, now)?;
        Ok(now)
    }

    /// Sets a defense to a specific value: `pkce=plain`, `redirect-matching=prefix`,
    /// `code-lifetime=600`, or `on`/`off` for any defense.
    pub fn set_value(&mut self, name: &str, value: &str) -> Result<(), DefenseError> {
        let bad = |valid: &str| DefenseError::BadValue {
            name: name.to_string(),
            value: value.to_string(),
            valid: valid.to_string(),
        };
        match (name, value) {
            (_, "on" | "true") => self.set_on(name, true),
            (_, "off" | "false") => self.set_on(name, false),
            ("pkce", "plain") => {
                self.pkce = PkceMethod::Plain;
                Ok(())
            }
            ("pkce", "S256" | "s256") => {
                self.pkce = PkceMethod::S256;
                Ok(())
            }
            ("pkce", _) => Err(bad("off, plain, S256")),
            ("redirect-matching", v) => {
                self.redirect_matching = match v {
                    "exact" => RedirectMatching::Exact,
                    "prefix" => RedirectMatching::Prefix,
                    "host-only" => RedirectMatching::HostOnly,
                    _ => return Err(bad("exact, prefix, host-only")),
                };
                Ok(())
            }
            ("code-lifetime", v) => {
                let secs: u64 = v.parse().map_err(|_| bad("a number of seconds, or off"))?;
                self.code_lifetime_secs = Some(secs);
                Ok(())
            }
            _ => {
                self.is_on(name)?;
                Err(bad("on, off"))
            }
        }
    }

    /// The current value of a defense as text (`on`, `off`, `S256`, `prefix`, `60`).
    pub fn value_label(&self, name: &str) -> String {
        match name {
            "pkce" => match self.pkce {
                PkceMethod::Off => "off".into(),
                PkceMethod::Plain => "plain".into(),
                PkceMethod::S256 => "S256".into(),
            },
            "redirect-matching" => match self.redirect_matching {
                RedirectMatching::Exact => "exact".into(),
                RedirectMatching::Prefix => "prefix".into(),
                RedirectMatching::HostOnly => "host-only".into(),
            },
            "code-lifetime" => match self.code_lifetime_secs {
                Some(s) => format!("{s} s"),
                None => "never expires".into(),
            },
            other => match self.is_on(other) {
                Ok(true) => "on".into(),
                Ok(false) => "off".into(),
                Err(_) => "?".into(),
            },
        }
    }

    /// The names of the defenses that differ between `self` and `other`.
    pub fn differences(&self, other: &Defenses) -> Vec<&'static str> {
        DEFENSES
            .iter()
            .filter(|d| self.value_label(d.name) != other.value_label(d.name))
            .map(|d| d.name)
            .collect()
    }
}

impl Default for Defenses {
    fn default() -> Self {
        Self::bcp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcp_is_all_on_and_naive_all_off() {
        let bcp = Defenses::bcp();
        let naive = Defenses::naive();
        for d in DEFENSES {
            assert!(bcp.is_on(d.name).unwrap(), "{}", d.name);
            assert!(!naive.is_on(d.name).unwrap(), "{}", d.name);
            assert_eq!(bcp.value_label(d.name), d.on_value.replace("60", "60 s"));
        }
        assert_eq!(bcp.differences(&naive).len(), DEFENSES.len());
    }

    #[test]
    fn rfc6749_keeps_state_and_lax_matching() {
        let d = Defenses::rfc6749();
        assert!(d.state && d.one_time_codes && !d.pkce_required && !d.iss_parameter);
        assert_eq!(d.redirect_matching, RedirectMatching::Prefix);
    }

    #[test]
    fn names_and_values_are_checked() {
        let mut d = Defenses::bcp();
        assert!(matches!(
            d.set_on("pkcee", true),
            Err(DefenseError::UnknownName(_))
        ));
        assert!(d.set_value("pkce", "plain").is_ok());
        assert_eq!(d.pkce, PkceMethod::Plain);
        assert!(d.set_value("redirect-matching", "fuzzy").is_err());
        assert!(d.set_value("state", "maybe").is_err());
        assert!(!d.toggle("state").unwrap());
    }
}
