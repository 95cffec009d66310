//! The token request: redeeming an authorization code (RFC 6749 §4.1.3, with the PKCE
//! verifier of RFC 7636 §4.5) or a refresh token (RFC 6749 §6).

use http::Method;

use super::{ClientAuth, RawParams};
use crate::protocol::http_wire::{self, Request};
use crate::protocol::params::Params;
use crate::protocol::secret::{AuthorizationCode, CodeVerifier, RefreshToken, Secret};

/// A token request under construction. Form parameters appear in the order they are
/// added; `Debug` shows their names only.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenRequest {
    form: Params,
    auth: Option<ClientAuth>,
}

impl TokenRequest {
    /// `grant_type=authorization_code`, `code` and `redirect_uri` (RFC 6749 §4.1.3: the
    /// redirect URI is required when the authorization request carried one).
    pub fn authorization_code(code: &AuthorizationCode, redirect_uri: &str) -> Self {
        Self::from_params(Params::default())
            .param("grant_type", "authorization_code")
            .param("code", code.expose())
            .param("redirect_uri", redirect_uri)
    }

    /// `grant_type=refresh_token` and `refresh_token` (RFC 6749 §6).
    pub fn refresh_token(refresh_token: &RefreshToken) -> Self {
        Self::from_params(Params::default())
            .param("grant_type", "refresh_token")
            .param("refresh_token", refresh_token.expose())
    }

    /// Starts from raw form parameters, with no client authentication yet.
    pub fn from_params(form: Params) -> Self {
        TokenRequest { form, auth: None }
    }

    /// Authenticates the client (RFC 6749 §2.3): `Basic` adds a header; `Body` and
    /// `None` add their `client_id` (and `client_secret`) to the form here, after the
    /// parameters added so far.
    pub fn client_auth(mut self, auth: &ClientAuth) -> Self {
        auth.push_body_params(&mut self.form);
        self.auth = Some(auth.clone());
        self
    }

    /// `resource` (RFC 8707 §2); `None` adds nothing.
    pub fn resource<'a>(self, resource: impl Into<Option<&'a str>>) -> Self {
        match resource.into() {
            Some(r) => self.param("resource", r),
            None => self,
        }
    }

    /// `code_verifier` (RFC 7636 §4.5); `None` adds nothing.
    pub fn code_verifier<'a>(self, verifier: impl Into<Option<&'a CodeVerifier>>) -> Self {
        match verifier.into() {
            Some(v) => self.param("code_verifier", v.expose()),
            None => self,
        }
    }

    /// The form parameters as they stand.
    pub fn form(&self) -> &Params {
        &self.form
    }

    /// `POST endpoint` with the client's authentication header, if any, and the form as
    /// an `application/x-www-form-urlencoded` body (RFC 6749 §4.1.3, §6).
    pub fn to_request(&self, endpoint: &str) -> Request {
        let mut req = http_wire::request(Method::POST, endpoint);
        if let Some(auth) = &self.auth {
            auth.set_headers(&mut req);
        }
        http_wire::set_form_body(&mut req, &self.form);
        req
    }
}

raw_params_builder!(TokenRequest, form);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::requests::basic_authorization;

    fn code() -> AuthorizationCode {
        AuthorizationCode::new("SplxlOBeZQQYbYS6WxSbIA")
    }

    /// The redemption of [`code`] for `redirect_uri` at `token_url`, the client
    /// authenticating with HTTP Basic as `(id, secret)`.
    fn redeem_with_basic(
        (id, secret): (&str, &str),
        redirect_uri: &str,
        token_url: &str,
    ) -> Request {
        TokenRequest::authorization_code(&code(), redirect_uri)
            .client_auth(&ClientAuth::basic(id, secret))
            .to_request(token_url)
    }

    #[test]
    fn redeems_a_code_with_basic_auth_like_rfc_6749_4_1_3() {
        let req = redeem_with_basic(
            ("s6BhdRkqt3", "gX1fBat3bV"),
            "https://client.example.com/cb",
            "https://server.example.com/token",
        );
        assert_eq!(
            http_wire::render_request(&req),
            "POST /token HTTP/1.1\r\n\
             Host: server.example.com\r\n\
             Authorization: Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW\r\n\
             Content-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: 108\r\n\
             \r\n\
             grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA\
             &redirect_uri=https%3A%2F%2Fclient.example.com%2Fcb"
        );
    }

    #[test]
    fn basic_auth_form_urlencodes_special_characters() {
        let req = redeem_with_basic(
            ("id:with space", "p@ss/wörd"),
            "https://c.example/cb",
            "https://as.example/token",
        );
        assert_eq!(
            http_wire::header(&req, "authorization"),
            Some(basic_authorization("id:with space", "p@ss/wörd").as_str())
        );
        assert_eq!(
            basic_authorization("id:with space", "p@ss/wörd"),
            format!(
                "Basic {}",
                base64::Engine::encode(
                    &base64::engine::general_purpose::STANDARD,
                    "id%3Awith+space:p%40ss%2Fw%C3%B6rd"
                )
            )
        );
    }

    #[test]
    fn public_and_post_clients_put_their_id_in_the_body_where_asked() {
        let verifier = CodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        let public = TokenRequest::authorization_code(&code(), "com.example.app:/cb")
            .client_auth(&ClientAuth::public("app"))
            .code_verifier(&verifier)
            .to_request("https://as.example/token");
        assert!(http_wire::header(&public, "authorization").is_none());
        assert_eq!(
            http_wire::body_text(public.body()),
            "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA\
             &redirect_uri=com.example.app%3A%2Fcb&client_id=app\
             &code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
        // RFC 6749 §2.3.1's example puts the credentials after the grant's parameters.
        let post = TokenRequest::refresh_token(&RefreshToken::new("tGzv3JOkF0XG5Qx2TlKWIA"))
            .client_auth(&ClientAuth::Body {
                id: "s6BhdRkqt3".into(),
                secret: crate::protocol::secret::ClientSecret::new("7Fjfp0ZBr1KtDRbnfVdmIw"),
            })
            .to_request("https://as.example/token");
        assert_eq!(
            http_wire::body_text(post.body()),
            "grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA\
             &client_id=s6BhdRkqt3&client_secret=7Fjfp0ZBr1KtDRbnfVdmIw"
        );
    }

    #[test]
    fn refresh_request_follows_rfc_6749_6() {
        let req = TokenRequest::refresh_token(&RefreshToken::new("tGzv3JOkF0XG5Qx2TlKWIA"))
            .client_auth(&ClientAuth::basic("s6BhdRkqt3", "gX1fBat3bV"))
            .resource(None)
            .code_verifier(None)
            .to_request("https://server.example.com/token");
        assert_eq!(req.method(), Method::POST);
        assert_eq!(
            http_wire::header(&req, "content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(
            http_wire::header(&req, "authorization"),
            Some("Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW")
        );
        assert_eq!(
            http_wire::body_text(req.body()),
            "grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA"
        );
    }

    #[test]
    fn extra_and_raw_params_are_kept_in_order() {
        let req = TokenRequest::authorization_code(&code(), "https://c.example/cb")
            .params([("scope", "photos.read photos.write")])
            .resource("https://rs.example/")
            .param("code", "second")
            .without("redirect_uri")
            .client_auth(&ClientAuth::public("app"));
        assert_eq!(
            req.form().encode(),
            "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA\
             &scope=photos.read+photos.write&resource=https%3A%2F%2Frs.example%2F\
             &code=second&client_id=app"
        );
        let raw = TokenRequest::from_params(Params::parse("grant_type=password&username=x"))
            .to_request("https://as.example/token");
        assert!(http_wire::header(&raw, "authorization").is_none());
        assert_eq!(
            http_wire::body_text(raw.body()),
            "grant_type=password&username=x"
        );
    }

    #[test]
    fn debug_shows_names_but_not_values() {
        let req = TokenRequest::refresh_token(&RefreshToken::new("rt-secret"))
            .client_auth(&ClientAuth::basic("c", "client-secret"));
        let shown = format!("{req:?}");
        assert!(shown.contains("\"refresh_token\""), "{shown}");
        assert!(
            !shown.contains("rt-secret") && !shown.contains("client-secret"),
            "{shown}"
        );
    }
}
