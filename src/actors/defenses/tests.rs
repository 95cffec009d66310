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

/// Each defense's value in `naive`, `rfc6749` and `bcp`, as `value_label` shows it.
const PROFILE_VALUES: [(DefenseId, &str, &str, &str); 28] = [
    (DefenseId::State, "off", "on", "on"),
    (DefenseId::Nonce, "off", "off", "on"),
    (DefenseId::Pkce, "off", "off", "S256"),
    (DefenseId::PkceRequired, "off", "off", "on"),
    (DefenseId::RejectPkcePlain, "off", "off", "on"),
    (
        DefenseId::RejectVerifierWithoutChallenge,
        "off",
        "off",
        "on",
    ),
    (DefenseId::RedirectMatching, "host-only", "prefix", "exact"),
    (DefenseId::NoRedirectOnInvalidUri, "off", "off", "on"),
    (DefenseId::OneTimeCodes, "off", "on", "on"),
    (DefenseId::RevokeOnCodeReuse, "off", "off", "on"),
    (DefenseId::CodeLifetime, "never expires", "600 s", "60 s"),
    (DefenseId::CodeBoundToClient, "off", "on", "on"),
    (DefenseId::TokenRedirectUriCheck, "off", "on", "on"),
    (DefenseId::IssParameter, "off", "off", "on"),
    (DefenseId::RefreshRotation, "off", "off", "on"),
    (DefenseId::AudienceCheck, "off", "off", "on"),
    (DefenseId::AlgPinning, "off", "off", "on"),
    (DefenseId::TokenIntrospection, "off", "off", "on"),
    (DefenseId::ReferrerPolicy, "off", "off", "on"),
    (DefenseId::Login303, "off", "off", "on"),
    (DefenseId::ConsentedScopeEnforced, "off", "on", "on"),
    (DefenseId::NoImplicitGrant, "off", "off", "on"),
    (DefenseId::ParRequired, "off", "off", "off"),
    (DefenseId::PrivateKeyJwt, "off", "off", "off"),
    (DefenseId::StrictAssertionAudience, "off", "off", "on"),
    (DefenseId::FrameProtection, "off", "off", "on"),
    (DefenseId::Dpop, "off", "off", "on"),
    (DefenseId::DpopProofReplayCheck, "off", "off", "on"),
];

#[test]
fn profiles_hold_the_values_they_always_had() {
    let ids: Vec<DefenseId> = PROFILE_VALUES.iter().map(|row| row.0).collect();
    assert_eq!(ids, DefenseId::ALL);
    let (naive, rfc6749, bcp) = (Defenses::naive(), Defenses::rfc6749(), Defenses::bcp());
    for &(id, in_naive, in_rfc6749, in_bcp) in &PROFILE_VALUES {
        assert_eq!(naive.value_label(id), in_naive, "naive {id}");
        assert_eq!(rfc6749.value_label(id), in_rfc6749, "rfc6749 {id}");
        assert_eq!(bcp.value_label(id), in_bcp, "bcp {id}");
    }
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

/// Per kind of value: a defense, the values it takes with the label each shows on
/// `bcp`, a value it refuses and the valid values the refusal lists.
type ValueCases = (
    DefenseId,
    &'static [(&'static str, &'static str)],
    &'static str,
    &'static str,
);

const VALUE_CASES: [ValueCases; 4] = [
    (
        DefenseId::Pkce,
        &[
            ("on", "S256"),
            ("true", "S256"),
            ("off", "off"),
            ("false", "off"),
            ("plain", "plain"),
            ("S256", "S256"),
            ("s256", "S256"),
        ],
        "sha256",
        "off, plain, S256",
    ),
    (
        DefenseId::RedirectMatching,
        &[
            ("on", "exact"),
            ("off", "host-only"),
            ("exact", "exact"),
            ("prefix", "prefix"),
            ("host-only", "host-only"),
        ],
        "fuzzy",
        "exact, prefix, host-only",
    ),
    (
        DefenseId::CodeLifetime,
        &[
            ("on", "60 s"),
            ("off", "never expires"),
            ("600", "600 s"),
            ("0", "0 s"),
        ],
        "none",
        "a number of seconds, or off",
    ),
    (
        DefenseId::State,
        &[("on", "on"), ("off", "off"), ("false", "off")],
        "maybe",
        "on, off",
    ),
];

#[test]
fn each_kind_of_value_shows_its_labels_and_lists_the_valid_ones() {
    for &(id, cases, refused, valid) in &VALUE_CASES {
        for &(value, label) in cases {
            let mut d = Defenses::bcp();
            d.set_value(id, value)
                .unwrap_or_else(|e| panic!("{id}={value}: {e}"));
            assert_eq!(d.value_label(id), label, "{id}={value}");
        }
        let e = Defenses::bcp().set_value(id, refused).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("invalid value `{refused}` for `{id}`; valid values: {valid}")
        );
    }
}

/// `d` with the defense `id` set from `text`.
fn with_value(mut d: Defenses, id: DefenseId, text: &str) -> Defenses {
    d.set_value(id, text).unwrap();
    d
}

#[test]
fn pkce_plain_is_not_on_and_toggles_to_s256() {
    let id = DefenseId::Pkce;
    let mut d = with_value(Defenses::bcp(), id, "plain");
    assert_eq!(d.pkce, PkceMethod::Plain);
    assert!(!d.is_on(id), "plain is not on");
    assert!(d.toggle(id));
    assert_eq!(d.pkce, PkceMethod::S256);
}

#[test]
fn redirect_matching_prefix_sets_the_field() {
    let d = with_value(Defenses::bcp(), DefenseId::RedirectMatching, "prefix");
    assert_eq!(d.redirect_matching, RedirectMatching::Prefix);
}

#[test]
fn any_code_lifetime_is_on_and_toggles_to_never() {
    let id = DefenseId::CodeLifetime;
    let mut d = with_value(Defenses::naive(), id, "600");
    assert_eq!(d.code_lifetime_secs, Some(600));
    assert!(d.is_on(id), "any lifetime is on");
    assert!(!d.toggle(id));
    assert_eq!(d.code_lifetime_secs, None);
}

#[test]
fn a_switch_toggles_off() {
    let id = DefenseId::State;
    let mut d = Defenses::bcp();
    assert!(!d.toggle(id));
    assert!(!d.state);
}
