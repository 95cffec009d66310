//! `POST /register`: dynamic client registration (RFC 7591), offered only when the
//! AS is configured for it (`AuthServerConfig::dynamic_registration`; live mode is).
//! The metadata a client sends is checked with the same rules as a static
//! registration (docs/PROTOCOL.md item 4); the AS chooses the `client_id` and, for a
//! confidential client, the secret, from its own RNG.

use http::StatusCode;
use serde_json::{Value, json};

use super::AuthServer;
use super::registrar::{ClientRegistration, GrantType, RegistrationError};
use crate::actors::Ctx;
use crate::actors::rng::random_token;
use crate::protocol::errors::json_response;
use crate::protocol::http_wire::{Request, Response, header};

/// The `token_endpoint_auth_method`s a registration may ask for (RFC 7591 §2).
const AUTH_METHODS: [&str; 3] = ["client_secret_basic", "client_secret_post", "none"];

impl AuthServer {
    pub(crate) fn handle_register(&mut self, ctx: &mut Ctx<'_>, req: &Request) -> Response {
        match self.register_from(ctx, req) {
            Ok(body) => json_response(StatusCode::CREATED, &body),
            Err((code, why)) => {
                ctx.note(format!("AS: registration refused: {code} ({why})."));
                json_response(
                    StatusCode::BAD_REQUEST,
                    &json!({ "error": code, "error_description": why }),
                )
            }
        }
    }

    /// The registration's answer (RFC 7591 §3.2.1), or its error code and description
    /// (§3.2.2).
    fn register_from(
        &mut self,
        ctx: &mut Ctx<'_>,
        req: &Request,
    ) -> Result<Value, (&'static str, String)> {
        let bad = |why: String| ("invalid_client_metadata", why);
        let json_type = header(req, "content-type").is_some_and(|t| {
            t.trim()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
        if !json_type {
            return Err(bad(
                "the client metadata must be a JSON object (application/json, RFC 7591 §3.1)"
                    .into(),
            ));
        }
        let meta: Value = serde_json::from_slice(req.body())
            .map_err(|e| bad(format!("the body is not JSON: {e}")))?;
        let Some(meta) = meta.as_object() else {
            return Err(bad("the body is not a JSON object".into()));
        };
        let strings = |name: &str| -> Result<Option<Vec<String>>, (&'static str, String)> {
            match meta.get(name) {
                None => Ok(None),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|v| v.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .map(Some)
                    .ok_or_else(|| bad(format!("{name} must be an array of strings"))),
                Some(_) => Err(bad(format!("{name} must be an array of strings"))),
            }
        };
        let text = |name: &str| meta.get(name).and_then(Value::as_str).map(str::to_string);
        let redirect_uris = strings("redirect_uris")?.unwrap_or_default();
        if redirect_uris.is_empty() {
            return Err((
                "invalid_redirect_uri",
                "redirect_uris is required for the authorization code grant (RFC 7591 §2)".into(),
            ));
        }
        let grant_names =
            strings("grant_types")?.unwrap_or_else(|| vec!["authorization_code".into()]);
        let mut grants = Vec::new();
        for g in &grant_names {
            match GrantType::parse(g) {
                Some(grant @ (GrantType::AuthorizationCode | GrantType::RefreshToken)) => {
                    grants.push(grant)
                }
                _ => return Err(bad(format!("grant type {g:?} cannot be registered here"))),
            }
        }
        let method =
            text("token_endpoint_auth_method").unwrap_or_else(|| "client_secret_basic".into());
        if !AUTH_METHODS.contains(&method.as_str()) {
            return Err(bad(format!(
                "token_endpoint_auth_method {method:?} is not one of {}",
                AUTH_METHODS.join(", ")
            )));
        }
        let supported = self.metadata(ctx.defenses).scopes_supported;
        let scope = text("scope").unwrap_or_else(|| "openid photos.read".into());
        if let Some(unknown) = scope
            .split_whitespace()
            .find(|s| !supported.iter().any(|x| x == s))
        {
            return Err(bad(format!("scope {unknown:?} is not offered here")));
        }
        let name = text("client_name").unwrap_or_else(|| "Registered client".into());
        let client_id = format!("dyn-{}", random_token(ctx.rng, 12));
        let secret = (method != "none").then(|| random_token(ctx.rng, 24));
        let reg = match &secret {
            Some(s) => ClientRegistration::confidential(&client_id, &name, s),
            None => ClientRegistration::public(&client_id, &name),
        };
        let reg = redirect_uris
            .iter()
            .fold(reg, |r, uri| r.with_redirect_uri(uri))
            .with_scopes(&scope)
            .with_grants(&grants);
        self.register_client(reg).map_err(|e| match e {
            RegistrationError::FragmentInRedirectUri(_)
            | RegistrationError::InvalidRedirectUri(_)
            | RegistrationError::InsecureRedirectUri(_) => ("invalid_redirect_uri", e.to_string()),
            other => bad(other.to_string()),
        })?;
        ctx.note(format!(
            "AS: registered client {client_id} ({}, {method}) with redirect URIs {} (RFC 7591 §3.2.1).",
            if secret.is_some() { "confidential" } else { "public" },
            redirect_uris.join(", ")
        ));
        let mut body = json!({
            "client_id": client_id,
            "client_id_issued_at": ctx.now.unix_secs(),
            "client_name": name,
            "redirect_uris": redirect_uris,
            "grant_types": grant_names,
            "response_types": ["code"],
            "token_endpoint_auth_method": method,
            "scope": scope,
        });
        if let Some(s) = secret {
            body["client_secret"] = json!(s);
            body["client_secret_expires_at"] = json!(0);
        }
        Ok(body)
    }
}
