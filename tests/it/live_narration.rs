//! The narration names the outside parties of live mode as a reader would: `curl`
//! and `your client`, never "the curl" or "the your client".

use oauth_lab::actors::Profile;
use oauth_lab::export::narrate::narrate;
use oauth_lab::testing::*;

#[test]
fn outside_parties_are_named_without_an_article() {
    let server = live_world(Profile::Bcp);
    let meta = format!(
        "{}/.well-known/oauth-authorization-server",
        server.urls().auth_server
    );
    let authorize = format!(
        "{}/authorize?response_type=code&client_id=learner-app&redirect_uri=http://127.0.0.1:8080/callback&scope=photos.read&state=s&code_challenge={CHALLENGE}&code_challenge_method=S256",
        server.urls().auth_server
    );
    live_call_as(&get(&meta), "curl/8.5.0");
    live_call_as(&get(&authorize), "curl/8.5.0");
    live_call(&get(&authorize));
    assert!(server.wait_idle(LIVE_WAIT), "the live world settles");
    let trace = server.hub().trace();
    let said: Vec<String> = (trace.steps.iter())
        .filter(|s| ["curl", "learner-client"].contains(&s.to.as_str()))
        .map(|s| narrate(&trace, s))
        .collect();
    assert_eq!(said.len(), 3, "{said:#?}");
    for s in &said {
        let lower = s.to_lowercase();
        assert!(!lower.contains("the curl"), "{s}");
        assert!(!lower.contains("the your"), "{s}");
    }
    assert!(said[1].contains("for curl."), "{said:#?}");
    // Opening a sentence, a program's name keeps its spelling.
    let acts: Vec<String> = (trace.steps.iter())
        .filter(|s| s.from.as_str() == "curl")
        .map(|s| narrate(&trace, s))
        .collect();
    assert!(!acts.iter().any(|s| s.contains("Curl")), "{acts:#?}");
    // A URL typed unencoded in the query (redirect_uri=http://…) is not the
    // request's path: the request is still read as an authorization request.
    let read_as_authorization =
        |s: &String| s.contains("an authorization request for client `learner-app`");
    assert!(acts.iter().any(read_as_authorization), "{acts:#?}");
    assert!(said[2].contains("for your client."), "{said:#?}");
}

#[test]
fn a_live_persons_action_is_named_in_words_as_in_the_simulation() {
    let server = live_world(Profile::Bcp);
    let start = format!("{}/", server.urls().client);
    live_browse(&server, &start);
    let trace = server.hub().trace();
    let acts: Vec<&str> = (trace.steps.iter())
        .filter(|s| s.kind == oauth_lab::sim::StepKind::Event)
        .map(|s| s.summary.as_str())
        .collect();
    assert!(
        acts.contains(&format!("opens {start}").as_str()),
        "{acts:?}"
    );
    assert!(!acts.iter().any(|a| a.contains('{')), "{acts:?}");
}
