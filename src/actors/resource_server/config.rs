//! The resource server's configuration: who it is, whom it trusts, what it serves.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::actors::well_known;
use crate::protocol::secret::ClientSecret;

/// One photo in the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    pub id: String,
    pub title: String,
}

impl Photo {
    pub fn new(id: &str, title: &str) -> Self {
        Photo {
            id: id.to_string(),
            title: title.to_string(),
        }
    }
}

/// What the RS knows before it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsConfig {
    /// Its origin and audience identifier (RFC 9068 §3): `https://rs.example`.
    pub identifier: String,
    /// The `realm` of its `WWW-Authenticate` challenges (RFC 6750 §3).
    pub realm: String,
    /// The only issuer whose tokens it accepts.
    pub trusted_issuer: String,
    /// Where the issuer publishes its keys (RFC 7517 §5).
    pub jwks_uri: String,
    /// The issuer's introspection endpoint (RFC 7662 §2).
    pub introspection_endpoint: String,
    /// The RS's own credentials there (RFC 7662 §2.1).
    pub introspection_client_id: String,
    pub introspection_client_secret: ClientSecret,
    /// Photos per user (`sub`) when the RS starts. The scope each route needs is
    /// fixed in code: see [`super::routes::Route::required_scope`].
    pub photos: BTreeMap<String, Vec<Photo>>,
    /// Whether it demands its own nonce in DPoP proofs (RFC 9449 §9).
    pub require_dpop_nonce: bool,
}

impl RsConfig {
    /// The standard world's RS at `https://rs.example`, trusting `https://as.example`.
    pub fn standard() -> Self {
        let mut photos = BTreeMap::new();
        photos.insert(
            well_known::ALICE.to_string(),
            vec![
                Photo::new("a1", "Sunset at the harbour"),
                Photo::new("a2", "Grandma's 90th birthday"),
                Photo::new("a3", "Passport scan (private)"),
            ],
        );
        photos.insert(
            well_known::MALLORY.to_string(),
            vec![
                Photo::new("m1", "Cat on a keyboard"),
                Photo::new("m2", "Totally innocent lunch"),
            ],
        );
        RsConfig {
            identifier: well_known::RS_ORIGIN.to_string(),
            realm: "rs.example".to_string(),
            trusted_issuer: well_known::AS_ISSUER.to_string(),
            jwks_uri: format!("{}/jwks", well_known::AS_ISSUER),
            introspection_endpoint: format!("{}/introspect", well_known::AS_ISSUER),
            introspection_client_id: well_known::RS_CLIENT_ID.to_string(),
            introspection_client_secret: ClientSecret::new(well_known::RS_CLIENT_SECRET),
            photos,
            require_dpop_nonce: false,
        }
    }

    /// The photos of a user (empty for an unknown one).
    pub fn photos_of(&self, sub: &str) -> &[Photo] {
        self.photos.get(sub).map(Vec::as_slice).unwrap_or(&[])
    }
}
