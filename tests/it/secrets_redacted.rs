//! Secrets never appear in `Debug` output: after a full flow (sign-in, refresh,
//! introspection), every public state and configuration type of the client, the AS,
//! the RS and the browser's person is formatted with `{:?}` and searched for every
//! secret value the run used — client secrets, passwords, codes, verifiers, access,
//! refresh and ID tokens, state and nonce — collected from the trace's own messages.

use oauth_lab::actors::well_known as wk;
use oauth_lab::protocol::token_response::TokenResponse;
use oauth_lab::sim::world::WorldBuilder;
use oauth_lab::sim::{Simulation, StepKind};
use oauth_lab::testing::*;

/// Every secret value on the wire of the run, plus the configured credentials.
fn secrets_of(sim: &Simulation) -> Vec<String> {
    let mut out: Vec<String> = [
        wk::CLIENT_SECRET,
        wk::RS_CLIENT_SECRET,
        wk::ALICE_PASSWORD,
        SECOND_SECRET,
        UPLOADER_SECRET,
        MULTI_SECRET,
        CODE_ONLY_SECRET,
    ]
    .map(str::to_string)
    .to_vec();
    for step in &sim.trace().steps {
        if step.kind == StepKind::Observed {
            continue;
        }
        let d = &step.decoded;
        let pairs = d.query.iter().chain(&d.form).chain(&d.location_query);
        for (k, v) in pairs {
            if matches!(
                k.as_str(),
                "code"
                    | "code_verifier"
                    | "state"
                    | "nonce"
                    | "refresh_token"
                    | "token"
                    | "password"
            ) {
                out.push(v.clone());
            }
        }
        if let Some(json) = &d.json {
            for key in ["access_token", "refresh_token", "id_token"] {
                if let Some(v) = json.get(key).and_then(|v| v.as_str()) {
                    out.push(v.to_string());
                }
            }
        }
    }
    out.retain(|s| s.len() >= 8);
    out.sort();
    out.dedup();
    out
}

/// A full flow: Alice signs in (code, PKCE, ID token, introspection at the RS), the
/// access token expires and the client refreshes it.
fn full_flow() -> Simulation {
    let mut sim = lab(bcp());
    alice_signs_in(&mut sim);
    advance(&mut sim, 3600);
    navigate(&mut sim, &format!("{}/photos", wk::CLIENT_ORIGIN));
    sim
}

#[test]
fn debug_output_of_every_state_type_shows_no_secret() {
    let sim = full_flow();
    let secrets = secrets_of(&sim);
    assert!(secrets.len() >= 12, "{secrets:?}");

    let mut world = WorldBuilder::standard(SEED, bcp());
    world.auth_server.clients.extend(extra_clients());
    let client = client(&sim);
    let auth = auth_server(&sim);
    let rs = rs(&sim);
    let token_responses: Vec<TokenResponse> = token_responses(&sim)
        .into_iter()
        .map(|j| serde_json::from_value(j).expect("a token response"))
        .collect();
    assert!(token_responses.len() >= 2, "sign-in and refresh");
    let mut debug = vec![
        format!("{:?}", client.config()),
        format!("{:?}", client.knowledge(0)),
        format!("{:?}", client.sessions().collect::<Vec<_>>()),
        format!("{:?}", auth.clients().collect::<Vec<_>>()),
        format!("{:?}", auth.codes()),
        format!("{:?}", auth.families()),
        format!("{:?}", auth.access_tokens()),
        format!("{:?}", auth.refresh_tokens()),
        format!("{:?}", auth.pending_transactions().collect::<Vec<_>>()),
        format!("{:?}", auth.sessions().collect::<Vec<_>>()),
        format!("{:?}", rs.config()),
        format!("{:?}", rs.decisions()),
        format!("{:?}", browser(&sim).person()),
        format!("{token_responses:?}"),
        format!("{:?}", world.auth_server),
        format!("{:?}", world.client),
        format!("{:?}", world.resource_server),
    ];
    debug.retain(|d| !d.is_empty());
    for text in &debug {
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "a secret ({}…) shows in Debug output:\n{text}",
                &secret[..4]
            );
        }
    }
    // The redacted values are still there to be exposed on purpose.
    assert!(debug.iter().any(|d| d.contains("[redacted]")));
}
