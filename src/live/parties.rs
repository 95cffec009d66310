//! The standard world's parties, configured with live mode's real URLs: the issuer,
//! the redirect URIs, the API and the JWKS are the loopback addresses the listeners
//! bound. The in-process world's names (`as.example`, …) are untouched.

use crate::actors::auth_server::{AuthServer, AuthServerConfig, ClientRegistration, GrantType};
use crate::actors::browser::{Browser, Person};
use crate::actors::client::{Client, ClientConfig};
use crate::actors::resource_server::{ResourceServer, RsConfig};
use crate::actors::well_known as wk;
use crate::actors::{Actor, ActorId};

/// The learner's own confidential client (RFC 6749 §2.1), for any OAuth library.
pub const LEARNER_APP_ID: &str = "learner-app";
/// Its secret, printed on start: this server is a teaching toy on loopback.
pub const LEARNER_APP_SECRET: &str = "learner-secret-5d8a";
/// The learner's own public client (a single-page or native app, PKCE required).
pub const LEARNER_SPA_ID: &str = "learner-spa";
/// The learner clients' redirect URIs: loopback, any port (RFC 8252 §7.3).
pub const LEARNER_REDIRECT_URIS: [&str; 2] = ["http://127.0.0.1/callback", "http://[::1]/callback"];
/// What the learner clients may ask for.
pub const LEARNER_SCOPE: &str = "openid profile photos.read photos.write";

/// The base URLs of the listeners, e.g. `http://127.0.0.2:9001`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveUrls {
    pub client: String,
    pub auth_server: String,
    pub resource_server: String,
    /// The attacker's site, when there is an attack.
    pub attacker: Option<String>,
}

/// Photo Printer at the client URL, registered at the live AS.
pub fn client_config(urls: &LiveUrls) -> ClientConfig {
    let mut config = ClientConfig::standard();
    config.origin = urls.client.clone();
    config.api_url = format!("{}/photos", urls.resource_server);
    // Photo Printer's one registration, at the live AS's URLs.
    for reg in &mut config.auth_servers {
        reg.issuer = urls.auth_server.clone();
        reg.metadata_url = format!("{}/.well-known/openid-configuration", urls.auth_server);
        reg.redirect_uri = format!("{}/cb", urls.client);
        reg.display_name = host_of(&urls.auth_server).to_string();
    }
    config
}

/// The AS at its live URL: the standard users and clients, Photo Printer's redirect
/// URI at the client URL, and the learner's two clients.
pub fn auth_server_config(urls: &LiveUrls) -> AuthServerConfig {
    let mut config = AuthServerConfig::standard();
    config.issuer = urls.auth_server.clone();
    config.dynamic_registration = true;
    let code_and_refresh = [GrantType::AuthorizationCode, GrantType::RefreshToken];
    config.clients = vec![
        ClientRegistration::confidential(wk::CLIENT_ID, "Photo Printer", wk::CLIENT_SECRET)
            .with_redirect_uri(&format!("{}/cb", urls.client))
            .with_scopes(wk::CLIENT_SCOPE)
            .with_grants(&code_and_refresh),
        // It may also introspect tokens (RFC 7662 §2.1), to see what the AS says.
        learner_clients(
            ClientRegistration::confidential(LEARNER_APP_ID, "Your app", LEARNER_APP_SECRET),
            &code_and_refresh,
        )
        .introspector(),
        learner_clients(
            ClientRegistration::public(LEARNER_SPA_ID, "Your single-page app"),
            &code_and_refresh,
        ),
        ClientRegistration::confidential(
            wk::RS_CLIENT_ID,
            "Photo API (resource server)",
            wk::RS_CLIENT_SECRET,
        )
        .introspector(),
    ];
    for r in &mut config.resources {
        r.identifier = urls.resource_server.clone();
    }
    config
}

fn learner_clients(reg: ClientRegistration, grants: &[GrantType]) -> ClientRegistration {
    LEARNER_REDIRECT_URIS
        .iter()
        .fold(reg, |reg, uri| reg.with_redirect_uri(uri))
        .with_scopes(LEARNER_SCOPE)
        .with_grants(grants)
}

/// The RS at its live URL, trusting the live AS.
pub fn resource_server_config(urls: &LiveUrls) -> RsConfig {
    let mut config = RsConfig::standard();
    config.identifier = urls.resource_server.clone();
    config.realm = host_of(&urls.resource_server).to_string();
    config.trusted_issuer = urls.auth_server.clone();
    config.jwks_uri = format!("{}/jwks", urls.auth_server);
    config.introspection_endpoint = format!("{}/introspect", urls.auth_server);
    config
}

/// A change to one party's configuration.
pub type Change<C> = Box<dyn Fn(&mut C)>;

/// What an attack changes in the honest parties of the live world, as its simulation
/// builds them: third-party content on the client's pages, the attacker's own client
/// registered at the AS, a legacy browser for Alice.
#[derive(Default)]
pub struct Changes {
    pub client: Option<Change<ClientConfig>>,
    pub auth_server: Option<Change<AuthServerConfig>>,
    /// Alice's simulated browser, where the world has one.
    pub alice: Option<fn(&mut Browser)>,
    /// What the AS remembers from before the live session (a consent given earlier).
    pub as_state: Option<fn(&mut AuthServer)>,
}

/// The live world's actors: AS, client, RS — and, in tests, Alice's simulated browser,
/// which then drives the flow over real HTTP like any browser.
pub fn actors(
    urls: &LiveUrls,
    with_browser: bool,
) -> Result<Vec<Box<dyn Actor + Send>>, crate::actors::auth_server::RegistrationError> {
    changed_actors(urls, with_browser, &Changes::default())
}

/// [`actors`] with an attack's `changes`.
pub fn changed_actors(
    urls: &LiveUrls,
    with_browser: bool,
    changes: &Changes,
) -> Result<Vec<Box<dyn Actor + Send>>, crate::actors::auth_server::RegistrationError> {
    let mut auth_server = auth_server_config(urls);
    if let Some(change) = &changes.auth_server {
        change(&mut auth_server);
    }
    let mut client = client_config(urls);
    if let Some(change) = &changes.client {
        change(&mut client);
    }
    let mut auth_server = AuthServer::new(auth_server)?;
    if let Some(change) = changes.as_state {
        change(&mut auth_server);
    }
    let mut out: Vec<Box<dyn Actor + Send>> = vec![
        Box::new(auth_server),
        Box::new(Client::new(client)),
        Box::new(ResourceServer::new(resource_server_config(urls))),
    ];
    if with_browser {
        // Alice's account is at the live AS, and she trusts links to it and to the
        // live client.
        let mut alice = Person::alice().with_account_at(&urls.auth_server);
        alice.trusted_sites.push(urls.client.clone());
        let mut browser = Browser::new(wk::BROWSER, alice);
        if let Some(change) = changes.alice {
            change(&mut browser);
        }
        out.push(Box::new(browser));
    }
    Ok(out)
}

/// The actor ids of the three servers, in listener order (client, AS, RS).
pub fn server_ids() -> [ActorId; 3] {
    [
        ActorId::new(wk::CLIENT),
        ActorId::new(wk::AS),
        ActorId::new(wk::RS),
    ]
}

/// `127.0.0.2:9001` of `http://127.0.0.2:9001`.
pub fn host_of(url: &str) -> &str {
    url.split_once("://").map(|(_, h)| h).unwrap_or(url)
}
