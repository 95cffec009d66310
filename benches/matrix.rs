//! The whole attack × defense matrix: every attack in the catalog under every column
//! (`naive`, `rfc6749`, `bcp`, and `bcp` minus each defense), spread over the
//! machine's cores by `matrix::compute`. Goal: under 300 ms on the 2-core dev machine.
//!
//! `cargo bench --bench matrix` prints one summary line with the mean time, the number
//! of runs, and the mean cost of one attack run on one thread.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use oauth_lab::attacks::matrix::{self, compute};
use oauth_lab::attacks::{catalog, run_attack};
use oauth_lab::protocol::jwt::{self, AccessTokenClaims, SigningKey};
use oauth_lab::sim::world::DEFAULT_SEED;

/// Mean time of `f` over enough iterations to fill about `budget`.
fn mean_time(budget: Duration, mut f: impl FnMut()) -> (Duration, u32) {
    f();
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < budget || n < 3 {
        f();
        n += 1;
    }
    (start.elapsed() / n.max(1), n)
}

/// Every cell run one after another on this thread (what `compute` parallelises).
fn sequential_cells() -> usize {
    let columns = matrix::columns();
    let mut succeeded = 0;
    for attack in catalog() {
        for col in &columns {
            succeeded += usize::from(
                run_attack(*attack, DEFAULT_SEED, col.defenses.clone())
                    .verdict
                    .succeeded(),
            );
        }
    }
    succeeded
}

fn claims() -> AccessTokenClaims {
    AccessTokenClaims {
        iss: "https://as.example".into(),
        sub: "alice".into(),
        aud: "https://rs.example".into(),
        exp: 2_000_000_000,
        iat: 1_767_258_000,
        jti: "bench".into(),
        client_id: "photo-printer".into(),
        scope: "photos.read".into(),
    }
}

fn bench(c: &mut Criterion) {
    c.bench_function("matrix/compute", |b| {
        b.iter(|| black_box(compute(DEFAULT_SEED)))
    });

    // The summary line the README quotes.
    let attacks = catalog().len();
    let columns = matrix::columns().len();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let (whole, n) = mean_time(Duration::from_secs(3), || {
        black_box(compute(DEFAULT_SEED));
    });
    let (seq, _) = mean_time(Duration::from_secs(2), || {
        black_box(sequential_cells());
    });
    let runs = (attacks * columns) as f64;

    // Where the time goes: the RS256 signatures and verifications one matrix performs,
    // each priced at its measured cost on one thread (its crypto floor).
    let before = jwt::crypto_counts();
    compute(DEFAULT_SEED);
    let ops = jwt::crypto_counts().since(&before);
    let key = SigningKey::demo_as();
    let jwks = jwt::jwks_of(&key);
    let token = key.sign(jwt::ACCESS_TOKEN_TYP, &claims());
    let (sign, _) = mean_time(Duration::from_secs(1), || {
        black_box(key.sign(jwt::ACCESS_TOKEN_TYP, &claims()));
    });
    let (verify, _) = mean_time(Duration::from_secs(1), || {
        black_box(jwt::verify_pinned::<AccessTokenClaims>(&token, &jwks).is_ok());
    });
    let floor = sign * ops.signs as u32 + verify * ops.verifies as u32;

    println!(
        "\nmatrix summary: {attacks} attacks × {columns} columns = {runs} runs on {threads} threads: \
         mean {:.1} ms per matrix (over {n}; goal < 300 ms). One thread: {:.1} ms ({:.0} µs per run), \
         of which crypto {} signs × {:.0} µs + {} verifies × {:.1} µs = {:.1} ms ({:.0}%).",
        whole.as_secs_f64() * 1e3,
        seq.as_secs_f64() * 1e3,
        seq.as_secs_f64() * 1e6 / runs,
        ops.signs,
        sign.as_secs_f64() * 1e6,
        ops.verifies,
        verify.as_secs_f64() * 1e6,
        floor.as_secs_f64() * 1e3,
        100.0 * floor.as_secs_f64() / seq.as_secs_f64().max(1e-9),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(5)).warm_up_time(Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
