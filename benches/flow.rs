//! One full default flow, and in the same run the signature operations that flow
//! performs (its crypto floor). Goal: the flow costs at most 1.25× its crypto floor.
//!
//! `cargo bench --bench flow` prints both figures and the ratio.

use std::hint::black_box;
mod support;

use std::time::Duration;

use support::mean_time;

use criterion::{Criterion, criterion_group, criterion_main};
use oauth_lab::actors::Defenses;
use oauth_lab::protocol::jwt::{self, AccessTokenClaims, SigningKey};
use oauth_lab::sim::world::{DEFAULT_SEED, default_flow};

fn run_flow() -> usize {
    let mut sim = default_flow(DEFAULT_SEED, Defenses::bcp());
    sim.run_until_idle();
    sim.trace().steps.len()
}

fn bench(c: &mut Criterion) {
    let key = SigningKey::demo_as();
    let jwks = jwt::jwks_of(&key);
    let token = key.sign(jwt::ACCESS_TOKEN_TYP, &support::sample_claims());

    let before = jwt::crypto_counts();
    run_flow();
    let ops = jwt::crypto_counts().since(&before);

    c.bench_function("flow/default-bcp", |b| b.iter(|| black_box(run_flow())));
    c.bench_function("crypto/rs256-sign", |b| {
        b.iter(|| black_box(key.sign(jwt::ACCESS_TOKEN_TYP, &support::sample_claims())))
    });
    c.bench_function("crypto/rs256-verify", |b| {
        b.iter(|| black_box(jwt::verify_pinned::<AccessTokenClaims>(&token, &jwks).is_ok()))
    });

    // The summary line the README quotes.
    let budget = Duration::from_secs(2);
    let flow = mean_time(budget, || {
        black_box(run_flow());
    });
    let sign = mean_time(budget, || {
        black_box(key.sign(jwt::ACCESS_TOKEN_TYP, &support::sample_claims()));
    });
    let verify = mean_time(budget, || {
        black_box(jwt::verify_pinned::<AccessTokenClaims>(&token, &jwks).is_ok());
    });
    // EdDSA operations (DPoP proofs) are priced at their own cost.
    let ed = oauth_lab::protocol::ed25519_key::Ed25519Key::demo("bench");
    let proof = ed.sign(jsonwebtoken::Header::default(), &support::sample_claims());
    let ed_sign = mean_time(budget, || {
        black_box(ed.sign(jsonwebtoken::Header::default(), &support::sample_claims()));
    });
    let ed_verify = mean_time(budget, || {
        black_box(
            oauth_lab::protocol::ed25519_key::verify_eddsa::<AccessTokenClaims>(&proof, ed.jwk())
                .is_ok(),
        );
    });
    let floor = sign * ops.signs as u32
        + verify * ops.verifies as u32
        + ed_sign * ops.eddsa_signs as u32
        + ed_verify * ops.eddsa_verifies as u32;
    println!(
        "\nflow summary: one flow {:.0} µs; its crypto floor {} signs × {:.0} µs + {} verifies × {:.1} µs + {} EdDSA signs × {:.1} µs + {} EdDSA verifies × {:.1} µs = {:.0} µs; ratio {:.2}×",
        flow.as_secs_f64() * 1e6,
        ops.signs,
        sign.as_secs_f64() * 1e6,
        ops.verifies,
        verify.as_secs_f64() * 1e6,
        ops.eddsa_signs,
        ed_sign.as_secs_f64() * 1e6,
        ops.eddsa_verifies,
        ed_verify.as_secs_f64() * 1e6,
        floor.as_secs_f64() * 1e6,
        flow.as_secs_f64() / floor.as_secs_f64().max(1e-9)
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
