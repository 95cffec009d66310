//! The start banner of `oauth-lab serve --no-tui`: the URLs, the registered clients
//! (read from the live AS) and how to try them, with a browser and with curl. Every
//! curl line is a command that works as printed once its capitals (CODE,
//! ACCESS_TOKEN) are filled in from the answers before it.

use crate::actors::auth_server::{AuthServer, ClientType};
use crate::actors::well_known as wk;
use crate::live::LiveServer;
use crate::live::parties::{LEARNER_APP_ID, LEARNER_APP_SECRET, LiveUrls};
use crate::protocol::pkce::s256;
use crate::world::WorldSpec;

/// The code verifier the curl walk-through uses: RFC 7636 Appendix B's, so a reader
/// of the RFC recognises it (a real client makes a fresh one per request, §4.1).
pub const CURL_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

/// Where the curl walk-through's code goes: a loopback redirect URI of `learner-app`
/// on a port of the learner's choosing (RFC 8252 §7.3).
pub const CURL_REDIRECT_URI: &str = "http://127.0.0.1:8080/callback";

/// The whole start banner.
pub fn banner(server: &LiveServer, spec: &WorldSpec) -> String {
    let LiveUrls {
        client,
        auth_server,
        resource_server,
        ..
    } = server.urls();
    let clients = server
        .hub()
        .with_actor::<AuthServer, _>(wk::AS, |a| {
            a.clients()
                .filter(|c| c.client_id != wk::RS_CLIENT_ID)
                .map(|c| {
                    let kind = match c.client_type {
                        ClientType::Confidential => "confidential",
                        ClientType::Public => "public",
                    };
                    let secret = if c.client_id == LEARNER_APP_ID {
                        format!(", secret {LEARNER_APP_SECRET}")
                    } else {
                        String::new()
                    };
                    format!(
                        "  {:<14} {kind}{secret}\n                 redirect URIs: {}\n",
                        c.client_id,
                        c.redirect_uris.join(", ")
                    )
                })
                .collect::<String>()
        })
        .unwrap_or_default();
    let code_lifetime = server.hub().defenses().code_lifetime_secs;
    format!(
        "oauth-lab serve: live mode, {defenses}. This server hands out tokens to anyone who can reach it.

  Photo Printer (client)        {client}/
  Authorization server (issuer) {auth_server}
  Photo API (resource server)   {resource_server}/photos

In a browser: open {client}/ and sign in as {alice}, password {password}.

Registered clients (loopback redirect URIs match on any port, RFC 8252 §7.3):
{clients}
{curl}
One line per message follows. Ctrl-C stops.
",
        defenses = spec.describe_defenses(),
        alice = wk::ALICE,
        password = wk::ALICE_PASSWORD,
        curl = with_curl(server.urls(), code_lifetime),
    )
}

/// The curl walk-through: the metadata, the keys, a code for `learner-app` through a
/// browser (PKCE S256 with [`CURL_VERIFIER`]), the token request, the API call, and a
/// registration (RFC 7591). `code_lifetime`: the AS's code lifetime in seconds, if
/// codes expire.
pub fn with_curl(urls: &LiveUrls, code_lifetime: Option<u64>) -> String {
    let LiveUrls {
        auth_server,
        resource_server,
        ..
    } = urls;
    let challenge = s256(CURL_VERIFIER);
    let within = match code_lifetime {
        Some(secs) => format!(" within {secs} s (the code's lifetime)"),
        None => String::new(),
    };
    format!(
        "With curl, as {LEARNER_APP_ID} (PKCE with RFC 7636 Appendix B's verifier):
  curl {auth_server}/.well-known/oauth-authorization-server
  curl {auth_server}/jwks
  Open this in a browser, sign in as {alice} and allow; the AS sends the browser to
  {CURL_REDIRECT_URI}?code=CODE&state=xyz&… (with nothing listening on port 8080
  the browser shows an error page: copy CODE from its address bar):
  {auth_server}/authorize?response_type=code&client_id={LEARNER_APP_ID}&redirect_uri={CURL_REDIRECT_URI}&scope=photos.read&state=xyz&code_challenge={challenge}&code_challenge_method=S256
  Then{within}:
  curl -u {LEARNER_APP_ID}:{LEARNER_APP_SECRET} -d grant_type=authorization_code \\
       -d code=CODE -d redirect_uri={CURL_REDIRECT_URI} -d code_verifier={CURL_VERIFIER} \\
       {auth_server}/token
  curl -H 'Authorization: Bearer ACCESS_TOKEN' {resource_server}/photos
  curl -H 'Content-Type: application/json' \\
       -d '{{\"redirect_uris\":[\"http://127.0.0.1/callback\"],\"grant_types\":[\"authorization_code\",\"refresh_token\"]}}' \\
       {auth_server}/register          # RFC 7591: a client of your own
",
        alice = wk::ALICE,
    )
}
