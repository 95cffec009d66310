use super::*;

/// The names, in the order `oauth-lab defenses` and the UI list them.
const NAMES: [&str; 28] = [
    "state",
    "nonce",
    "pkce",
    "pkce-required",
    "reject-pkce-plain",
    "reject-verifier-without-challenge",
    "redirect-matching",
    "no-redirect-on-invalid-uri",
    "one-time-codes",
    "revoke-on-code-reuse",
    "code-lifetime",
    "code-bound-to-client",
    "token-redirect-uri-check",
    "iss-parameter",
    "refresh-rotation",
    "audience-check",
    "alg-pinning",
    "token-introspection",
    "referrer-policy",
    "login-303",
    "consented-scope-enforced",
    "no-implicit-grant",
    "par-required",
    "private-key-jwt",
    "strict-assertion-audience",
    "frame-protection",
    "dpop",
    "dpop-proof-replay-check",
];

#[test]
fn every_id_round_trips_through_its_name() {
    assert_eq!(DefenseId::ALL.len(), NAMES.len());
    assert_eq!(DEFENSES.len(), NAMES.len());
    for ((&id, info), name) in DefenseId::ALL.iter().zip(DEFENSES).zip(NAMES) {
        assert_eq!(info.id, id);
        assert_eq!(id.name(), name);
        assert_eq!(id.info(), info);
        assert_eq!(DefenseId::parse(name), Ok(id));
        assert_eq!(name.parse::<DefenseId>(), Ok(id));
        assert_eq!(id.to_string(), name);
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{name}\""));
    }
    assert_eq!(format!("[{:<8}]", DefenseId::Pkce), "[pkce    ]");
    assert_eq!(defense_names(), NAMES);
}

#[test]
fn an_unknown_name_lists_the_valid_ones() {
    let e = DefenseId::parse("pkcee").unwrap_err();
    assert_eq!(e, DefenseError::UnknownName("pkcee".into()));
    assert_eq!(
        e.to_string(),
        format!("unknown defense `pkcee`; valid names: {}", NAMES.join(", "))
    );
}

#[test]
fn profiles_hold_the_values_they_always_had() {
    let bcp = Defenses {
        state: true,
        nonce: true,
        pkce: PkceMethod::S256,
        pkce_required: true,
        reject_pkce_plain: true,
        reject_verifier_without_challenge: true,
        redirect_matching: RedirectMatching::Exact,
        no_redirect_on_invalid_uri: true,
        one_time_codes: true,
        revoke_on_code_reuse: true,
        code_lifetime_secs: Some(60),
        code_bound_to_client: true,
        token_redirect_uri_check: true,
        iss_parameter: true,
        refresh_rotation: true,
        audience_check: true,
        alg_pinning: true,
        token_introspection: true,
        referrer_policy: true,
        login_303: true,
        consented_scope_enforced: true,
        no_implicit_grant: true,
        par_required: false,
        private_key_jwt: false,
        strict_assertion_audience: true,
        frame_protection: true,
        dpop: true,
        dpop_proof_replay_check: true,
    };
    let naive = Defenses {
        state: false,
        nonce: false,
        pkce: PkceMethod::Off,
        pkce_required: false,
        reject_pkce_plain: false,
        reject_verifier_without_challenge: false,
        redirect_matching: RedirectMatching::HostOnly,
        no_redirect_on_invalid_uri: false,
        one_time_codes: false,
        revoke_on_code_reuse: false,
        code_lifetime_secs: None,
        code_bound_to_client: false,
        token_redirect_uri_check: false,
        iss_parameter: false,
        refresh_rotation: false,
        audience_check: false,
        alg_pinning: false,
        token_introspection: false,
        referrer_policy: false,
        login_303: false,
        consented_scope_enforced: false,
        no_implicit_grant: false,
        par_required: false,
        private_key_jwt: false,
        strict_assertion_audience: false,
        frame_protection: false,
        dpop: false,
        dpop_proof_replay_check: false,
    };
    let rfc6749 = Defenses {
        state: true,
        nonce: false,
        pkce: PkceMethod::Off,
        pkce_required: false,
        reject_pkce_plain: false,
        reject_verifier_without_challenge: false,
        redirect_matching: RedirectMatching::Prefix,
        no_redirect_on_invalid_uri: false,
        one_time_codes: true,
        revoke_on_code_reuse: false,
        code_lifetime_secs: Some(600),
        code_bound_to_client: true,
        token_redirect_uri_check: true,
        iss_parameter: false,
        refresh_rotation: false,
        audience_check: false,
        alg_pinning: false,
        token_introspection: false,
        referrer_policy: false,
        login_303: false,
        consented_scope_enforced: true,
        no_implicit_grant: false,
        par_required: false,
        private_key_jwt: false,
        strict_assertion_audience: false,
        frame_protection: false,
        dpop: false,
        dpop_proof_replay_check: false,
    };
    let fapi2 = Defenses {
        par_required: true,
        private_key_jwt: true,
        ..bcp.clone()
    };
    assert_eq!(Defenses::fapi2(), fapi2);
    assert_eq!(Profile::Fapi2.defenses(), fapi2);
    assert_eq!(Profile::parse("fapi2"), Some(Profile::Fapi2));
    for (_, id) in Profile::Fapi2.requirements() {
        assert!(fapi2.is_on(*id), "fapi2 requires {id}");
    }
    assert_eq!(Defenses::bcp(), bcp);
    assert_eq!(Defenses::naive(), naive);
    assert_eq!(Defenses::rfc6749(), rfc6749);
    assert_eq!(Profile::Bcp.defenses(), bcp);
    assert_eq!(Profile::Naive.defenses(), naive);
    assert_eq!(Profile::Rfc6749.defenses(), rfc6749);
    assert_eq!(Defenses::default(), bcp);
}

/// The defenses `bcp` leaves off: they change the flow's shape (a pushed request, a
/// signed client assertion), and RFC 9700 does not require them; `fapi2` turns them on.
const OFF_IN_BCP: [DefenseId; 2] = [DefenseId::ParRequired, DefenseId::PrivateKeyJwt];

#[test]
fn on_is_the_fapi2_value_and_off_the_naive_one() {
    let bcp = Defenses::fapi2();
    let naive = Defenses::naive();
    for &id in DefenseId::ALL {
        assert_eq!(Defenses::bcp().is_on(id), !OFF_IN_BCP.contains(&id), "{id}");
        assert!(bcp.is_on(id), "{id}");
        assert!(!naive.is_on(id), "{id}");
        let mut d = Defenses::rfc6749();
        d.set_on(id, true);
        assert_eq!(d.value_label(id), bcp.value_label(id), "{id}");
        d.set_on(id, false);
        assert_eq!(d.value_label(id), naive.value_label(id), "{id}");
        let info = id.info();
        assert_eq!(bcp.value_label(id), info.on_value.replace("60", "60 s"));
        let off = info.off_value.replace("none", "never expires");
        assert_eq!(naive.value_label(id), off);
    }
    assert_eq!(bcp.differences(&naive), DefenseId::ALL);
    assert_eq!(bcp.differences(&Defenses::bcp()), OFF_IN_BCP);
}

#[test]
fn rfc6749_keeps_state_and_lax_matching() {
    let d = Defenses::rfc6749();
    assert!(d.state && d.one_time_codes && !d.pkce_required && !d.iss_parameter);
    assert_eq!(d.redirect_matching, RedirectMatching::Prefix);
    assert!(
        d.is_on(DefenseId::CodeLifetime),
        "any lifetime counts as on"
    );
    assert!(!d.is_on(DefenseId::RedirectMatching), "prefix is not exact");
    assert_eq!(
        Defenses::bcp().differences(&d),
        [
            DefenseId::Nonce,
            DefenseId::Pkce,
            DefenseId::PkceRequired,
            DefenseId::RejectPkcePlain,
            DefenseId::RejectVerifierWithoutChallenge,
            DefenseId::RedirectMatching,
            DefenseId::NoRedirectOnInvalidUri,
            DefenseId::RevokeOnCodeReuse,
            DefenseId::CodeLifetime,
            DefenseId::IssParameter,
            DefenseId::RefreshRotation,
            DefenseId::AudienceCheck,
            DefenseId::AlgPinning,
            DefenseId::TokenIntrospection,
            DefenseId::ReferrerPolicy,
            DefenseId::Login303,
            DefenseId::NoImplicitGrant,
            DefenseId::StrictAssertionAudience,
            DefenseId::FrameProtection,
            DefenseId::Dpop,
            DefenseId::DpopProofReplayCheck,
        ]
    );
}

/// Sets `id` to each value on `bcp` and checks the label it shows then.
fn assert_labels(id: DefenseId, cases: &[(&str, &str)]) {
    for &(value, label) in cases {
        let mut d = Defenses::bcp();
        d.set_value(id, value)
            .unwrap_or_else(|e| panic!("{id}={value}: {e}"));
        assert_eq!(d.value_label(id), label, "{id}={value}");
    }
}

/// Setting `id` to `value` is refused with the list of valid values.
fn assert_refused(id: DefenseId, value: &str, valid: &str) {
    let e = Defenses::bcp().set_value(id, value).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("invalid value `{value}` for `{id}`; valid values: {valid}")
    );
}

#[test]
fn pkce_takes_off_plain_and_s256() {
    let id = DefenseId::Pkce;
    assert_labels(
        id,
        &[
            ("on", "S256"),
            ("true", "S256"),
            ("off", "off"),
            ("false", "off"),
            ("plain", "plain"),
            ("S256", "S256"),
            ("s256", "S256"),
        ],
    );
    assert_refused(id, "sha256", "off, plain, S256");
    let mut d = Defenses::bcp();
    d.set_value(id, "plain").unwrap();
    assert_eq!(d.pkce, PkceMethod::Plain);
    assert!(!d.is_on(id), "plain is not on");
    assert!(d.toggle(id));
    assert_eq!(d.pkce, PkceMethod::S256);
}

#[test]
fn redirect_matching_takes_exact_prefix_and_host_only() {
    let id = DefenseId::RedirectMatching;
    assert_labels(
        id,
        &[
            ("on", "exact"),
            ("off", "host-only"),
            ("exact", "exact"),
            ("prefix", "prefix"),
            ("host-only", "host-only"),
        ],
    );
    assert_refused(id, "fuzzy", "exact, prefix, host-only");
    let mut d = Defenses::bcp();
    d.set_value(id, "prefix").unwrap();
    assert_eq!(d.redirect_matching, RedirectMatching::Prefix);
}

#[test]
fn code_lifetime_takes_seconds_or_off() {
    let id = DefenseId::CodeLifetime;
    assert_labels(
        id,
        &[
            ("on", "60 s"),
            ("off", "never expires"),
            ("600", "600 s"),
            ("0", "0 s"),
        ],
    );
    assert_refused(id, "none", "a number of seconds, or off");
    let mut d = Defenses::naive();
    d.set_value(id, "600").unwrap();
    assert_eq!(d.code_lifetime_secs, Some(600));
    assert!(d.is_on(id), "any lifetime is on");
    assert!(!d.toggle(id));
    assert_eq!(d.code_lifetime_secs, None);
}

#[test]
fn a_switch_takes_only_on_and_off() {
    let id = DefenseId::State;
    assert_labels(id, &[("on", "on"), ("off", "off"), ("false", "off")]);
    assert_refused(id, "maybe", "on, off");
    let mut d = Defenses::bcp();
    assert!(!d.toggle(id));
    assert!(!d.state);
}
