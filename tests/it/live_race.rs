//! Live mode under parallel requests (OAuch-style race tests): the AS's one-time codes
//! and refresh-token rotation hold when twenty requests arrive at once.

use oauth_lab::actors::Profile;
use oauth_lab::protocol::http_wire::Response;
use oauth_lab::testing::*;

#[test]
fn twenty_parallel_redemptions_of_one_code_give_exactly_one_200() {
    let server = live_world(Profile::Bcp);
    let grant = live_learner_code(&server, "learner-app");
    let pairs = redemption_pairs(&grant.code, &grant.redirect_uri);
    // Exactly one redemption succeeds (RFC 6749 §4.1.2).
    exactly_one_success(&twenty_at_once(&server, &pairs));
    server.shutdown();
}

#[test]
fn twenty_parallel_refreshes_under_rotation_give_one_success_and_revoke_the_grant() {
    let server = live_world(Profile::Bcp);
    let grant = live_learner_code(&server, "learner-app");
    let pairs = redemption_pairs(&grant.code, &grant.redirect_uri);
    let tokens = live_call(&live_token_request(&server, &pairs));
    assert_eq!(tokens.status(), 200, "{}", body_text(&tokens));
    let refresh = string_field(&tokens, "refresh_token");
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh.as_str()),
    ];
    // One refresh consumes the token (RFC 9700 §4.14.2).
    let answers = twenty_at_once(&server, &form);
    let rotated = string_field(exactly_one_success(&answers), "refresh_token");
    // A consumed refresh token presented again revokes the whole grant: the rotated
    // token the one success got is dead too.
    let again = live_call(&live_token_request(
        &server,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", rotated.as_str()),
        ],
    ));
    assert_eq!(again.status(), 400, "{}", body_text(&again));
    assert_eq!(error_code(&again), "invalid_grant");
    server.shutdown();
}

/// Twenty copies of learner-app's token request with form `pairs`, sent at once.
fn twenty_at_once(server: &oauth_lab::live::LiveServer, pairs: &[(&str, &str)]) -> Vec<Response> {
    live_call_all((0..20).map(|_| live_token_request(server, pairs)).collect())
}

/// The one 200 among `answers`; every other answer is 400 `invalid_grant`.
fn exactly_one_success(answers: &[Response]) -> &Response {
    let ok: Vec<&Response> = answers.iter().filter(|r| r.status() == 200).collect();
    assert_eq!(ok.len(), 1, "exactly one of {} succeeds", answers.len());
    for refused in answers.iter().filter(|r| r.status() != 200) {
        assert_eq!(refused.status(), 400, "{}", body_text(refused));
        assert_eq!(error_code(refused), "invalid_grant");
    }
    ok[0]
}
