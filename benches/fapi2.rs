//! One full `fapi2` flow (pushed requests, private_key_jwt, DPoP), and in the same run
//! the signature operations that flow performs, each kind timed alone: RS256 (tokens)
//! and EdDSA (client assertions, DPoP proofs). Goal: the flow costs at most 1.25× its
//! crypto floor.
//!
//! `cargo bench --bench fapi2` prints both figures and the ratio.

use std::hint::black_box;
mod support;

use std::time::Duration;

use support::mean_time;

use criterion::{Criterion, criterion_group};
use jsonwebtoken::Header;
use oauth_lab::actors::client::config::photo_printer_key;
use oauth_lab::actors::defenses::Profile;
use oauth_lab::protocol::ed25519_key::verify_eddsa;
use oauth_lab::protocol::jwt::{self, AccessTokenClaims, SigningKey};
use oauth_lab::protocol::requests::AssertionClaims;
use oauth_lab::protocol::secret::Secret;
use oauth_lab::sim::world::{DEFAULT_SEED, default_flow};

fn run_flow() -> usize {
    let mut sim = default_flow(DEFAULT_SEED, Profile::Fapi2.defenses());
    sim.run_until_idle();
    sim.trace().steps.len()
}

fn bench(c: &mut Criterion) {
    let rsa = SigningKey::demo_as();
    let jwks = jwt::jwks_of(&rsa);
    let token = rsa.sign(jwt::ACCESS_TOKEN_TYP, &support::sample_claims());
    let ed = photo_printer_key();
    let assertion = AssertionClaims::new(
        "photo-printer",
        "https://as.example",
        "j",
        1_767_258_000,
        60,
    );
    let signed = assertion.sign(&ed, true);

    let before = jwt::crypto_counts();
    run_flow();
    let ops = jwt::crypto_counts().since(&before);

    c.bench_function("flow/default-fapi2", |b| b.iter(|| black_box(run_flow())));
    c.bench_function("crypto/eddsa-sign", |b| {
        b.iter(|| black_box(ed.sign(Header::default(), &assertion)))
    });
    c.bench_function("crypto/eddsa-verify", |b| {
        b.iter(|| black_box(verify_eddsa::<serde_json::Value>(signed.expose(), ed.jwk()).is_ok()))
    });

    // The summary line the README quotes.
    let budget = Duration::from_secs(2);
    let flow = mean_time(budget, || {
        black_box(run_flow());
    });
    let rs_sign = mean_time(budget, || {
        black_box(rsa.sign(jwt::ACCESS_TOKEN_TYP, &support::sample_claims()));
    });
    let rs_verify = mean_time(budget, || {
        black_box(jwt::verify_pinned::<AccessTokenClaims>(&token, &jwks).is_ok());
    });
    let ed_sign = mean_time(budget, || {
        black_box(ed.sign(Header::default(), &assertion));
    });
    let ed_verify = mean_time(budget, || {
        black_box(verify_eddsa::<serde_json::Value>(signed.expose(), ed.jwk()).is_ok());
    });
    let floor = rs_sign * ops.signs as u32
        + rs_verify * ops.verifies as u32
        + ed_sign * ops.eddsa_signs as u32
        + ed_verify * ops.eddsa_verifies as u32;
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "\nfapi2 summary: one flow {:.0} µs; its crypto floor RS256 {} signs × {:.0} µs + {} verifies × {:.1} µs, EdDSA {} signs × {:.1} µs + {} verifies × {:.1} µs = {:.0} µs; ratio {:.2}×",
        us(flow),
        ops.signs,
        us(rs_sign),
        ops.verifies,
        us(rs_verify),
        ops.eddsa_signs,
        us(ed_sign),
        ops.eddsa_verifies,
        us(ed_verify),
        us(floor),
        flow.as_secs_f64() / floor.as_secs_f64().max(1e-9)
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = bench
}
/// `FAPI2_PROFILE_FLOWS=N` runs only N flows and no timing, for a profiler
/// (`valgrind --tool=callgrind` counts instructions, repeatable on a loaded machine).
fn main() {
    if let Some(n) = std::env::var("FAPI2_PROFILE_FLOWS")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    {
        for _ in 0..n {
            black_box(run_flow());
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
