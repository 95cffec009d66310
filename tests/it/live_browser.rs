//! A real browser in live mode: headless Chromium, driven over WebDriver
//! (chromedriver), opens Photo Printer, signs in as Alice at the AS, approves, and
//! lands on "Your photos". The three parties are on 127.0.0.1, .2 and .3: distinct
//! sites, so Chromium applies its real cookie rules (SameSite=Lax on the AS's and the
//! client's session cookies, which only work if the cross-site redirect back to the
//! client still carries the client's cookie as a top-level GET navigation).
//!
//! `Secure` cookies over plain http: Chromium counts http://127.0.0.0/8 as a
//! potentially trustworthy origin (W3C Secure Contexts §3.1), so it keeps the
//! parties' `Secure` cookies there; nothing in the parties is relaxed for the test.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::elements::{Element, Form};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use oauth_lab::actors::well_known as wk;
use oauth_lab::actors::{Defenses, Profile};
use oauth_lab::attacks::find;
use oauth_lab::live::AttackSite;
use oauth_lab::sim::world::DEFAULT_SEED;
use oauth_lab::testing::*;

/// Every WebDriver wait of the test ends by then.
const PAGE_WAIT: Duration = Duration::from_secs(15);

#[test]
fn chromium_signs_in_as_alice_and_the_live_trace_has_the_simulated_flows_steps() {
    let Some(driver) = Chromedriver::start("live sign-in") else {
        return;
    };
    let server = live_world_for_real_browser(Profile::Bcp);
    let urls = server.urls().clone();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for the WebDriver client");
    let landed = runtime.block_on(async {
        let browser = connect(&driver).await;
        let outcome = tokio::time::timeout(
            Duration::from_secs(40),
            sign_in(&browser, &urls.client, &urls.auth_server),
        )
        .await;
        // Ending the session ends Chromium; the driver's drop ends what is left.
        let _ = tokio::time::timeout(PAGE_WAIT, browser.close()).await;
        outcome.unwrap_or_else(|_| panic!("the sign-in finished within 40 s"))
    });
    assert!(
        landed.url.starts_with(&format!("{}/cb?", urls.client)),
        "{landed:?}"
    );
    assert_eq!(landed.title, "Your photos", "{landed:?}");
    assert!(landed.text.contains("Sunset at the harbour"), "{landed:?}");
    assert!(landed.text.contains("Signed in as"), "{landed:?}");
    assert!(server.wait_idle(LIVE_WAIT), "the live world settles");
    let trace = server.hub().trace();
    // Chromium kept both `Secure` session cookies on http loopback, and sent the
    // client's SameSite=Lax one on the cross-site redirect back from the AS.
    for (to, request, cookie) in [
        (wk::AS, "POST /consent", "as_session="),
        (wk::CLIENT, "GET /cb", "client_session="),
    ] {
        let step = trace
            .find(to, request)
            .next()
            .unwrap_or_else(|| panic!("{request} at {to} is in the live trace"));
        let sent = step
            .wire
            .lines()
            .any(|l| l.to_ascii_lowercase().starts_with("cookie:") && l.contains(cookie));
        assert!(
            sent,
            "Chromium sent {cookie} with {request}:\n{}",
            step.wire
        );
    }

    // The live trace holds the kinds of steps of the in-process flow: the same
    // requests from the same parties to the same endpoints, answered with the same
    // statuses; a real browser adds only its opening of the home page and its favicon.
    let live = step_shapes(
        &server.hub().trace(),
        &oauth_lab::live::lanes::Lane::RealBrowser.id(),
    );
    let sim = signed_in_sim(DEFAULT_SEED, Profile::Bcp);
    let simulated = step_shapes(sim.trace(), &oauth_lab::actors::ActorId::new(wk::BROWSER));
    let missing: Vec<String> = simulated.difference(&live).map(|s| s.to_string()).collect();
    assert!(
        missing.is_empty(),
        "missing from the live trace: {missing:#?}\nlive: {:#?}",
        live.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    );
    let extra: Vec<String> = live
        .difference(&simulated)
        .filter(|s| {
            !(s.from == wk::BROWSER || s.to == wk::BROWSER)
                || !["/", "/favicon.ico"].contains(&s.path.as_str())
        })
        .map(|s| s.to_string())
        .collect();
    assert!(extra.is_empty(), "only in the live trace: {extra:#?}");
    server.shutdown();
}

#[test]
fn chromium_visiting_the_attackers_site_is_phished_only_while_the_as_redirects_errors() {
    let Some((driver, site, runtime)) =
        chromium_at_site("live attacker's site", "open-redirect-on-error")
    else {
        return;
    };
    for (defenses, phished) in [(Defenses::naive(), true), (Profile::Bcp.defenses(), false)] {
        let server = live_attack_world(site, defenses);
        let entry = site.entry(server.urls().attacker.as_deref().expect("the site listens"));
        let auth_server = server.urls().auth_server.clone();
        let landed = in_session(&runtime, &driver, "the visit", async |browser| {
            visit_attackers_site(browser, &entry).await
        });
        assert!(server.wait_idle(LIVE_WAIT), "the live world settles");
        // Where the AS's answer took her: the look-alike page on the attacker's site,
        // or the AS's own error page.
        let on_attackers_page = landed.url.starts_with(&entry);
        assert_eq!(on_attackers_page, phished, "{landed:?}");
        assert_eq!(!landed.url.starts_with(&auth_server), phished, "{landed:?}");
        assert_eq!(server.attack_goal().is_some(), phished, "{landed:?}");
        server.shutdown();
    }
}

#[test]
fn chromium_hands_the_click_on_the_decoy_to_the_frame_which_holds_the_as_sign_in_not_its_consent() {
    let Some((driver, site, runtime)) =
        chromium_at_site("live clickjacking", "consent-clickjacking")
    else {
        return;
    };
    let stopper = site.attack().info().stoppers[0];
    for (defenses, rendered) in [(Defenses::naive(), true), (stopper.from_naive(), false)] {
        let server = live_attack_world(site, defenses);
        let urls = server.urls().clone();
        let prize = site.entry(urls.attacker.as_deref().expect("the site listens"));
        let seen = in_session(&runtime, &driver, "the prize page", async |browser| {
            // The attack's setup: Alice has signed in at the AS in this browser.
            sign_in(browser, &urls.client, &urls.auth_server).await;
            let frame = framed_page(browser, &prize).await;
            let aim = aim_at_the_decoy(browser).await;
            click_the_decoy(browser).await;
            let after = framed_page_now(browser).await;
            // The same consent page opened by Alice herself (a top-level navigation,
            // which takes her SameSite=Lax session along): where its "Allow" lies.
            let allow = allow_button_of(browser, &aim.frame_src).await;
            Clickjacked {
                frame,
                aim,
                after,
                allow,
            }
        });
        assert!(server.wait_idle(LIVE_WAIT), "the live world settles");
        let trace = server.hub().trace();
        // The AS answered the framed request either way; only its headers differ, and
        // Chromium itself decides whether to show the answer in the attacker's frame.
        let framed = trace
            .find(wk::AS, "client_id=photo-frame")
            .next()
            .unwrap_or_else(|| panic!("the frame asked the AS: {seen:?}"));
        let answer = trace
            .response_to(framed.msg_id.expect("a request"))
            .map(|r| r.wire.to_ascii_lowercase())
            .unwrap_or_else(|| panic!("the AS answered the framed /authorize: {seen:?}"));
        assert_eq!(
            answer.contains("x-frame-options: deny") && answer.contains("frame-ancestors 'none'"),
            !rendered,
            "{}: {answer}",
            stopper.claim()
        );
        let on_the_as = seen.frame.url.starts_with(&urls.auth_server);
        assert_eq!(
            on_the_as && seen.frame.forms == "login",
            rendered,
            "{seen:?}"
        );
        // Why the AS shows its sign-in form there although Alice has a session: her
        // `as_session` cookie is SameSite=Lax, and Chromium leaves it out of a
        // cross-site frame's requests (RFC 6265bis §4.1.2.7, §5.2.1).
        let cookie_sent = |wire: &str| {
            wire.lines()
                .any(|l| l.to_ascii_lowercase().starts_with("cookie:") && l.contains("as_session="))
        };
        assert!(!cookie_sent(&framed.wire), "{}", framed.wire);
        let signed_in = trace
            .find(wk::AS, "POST /consent")
            .next()
            .expect("her consent");
        assert!(cookie_sent(&signed_in.wire), "{}", signed_in.wire);
        // The trick works as laid out: the frame lies on top at the decoy's centre, and
        // that point of the frame is inside the consent page's "Allow" button.
        assert_eq!(seen.aim.on_top, "IFRAME", "{seen:?}");
        assert!(seen.allow.holds(seen.aim.x, seen.aim.y), "{seen:?}");
        // The click went to the frame, which holds no "Allow": nothing was posted, the
        // frame stayed where it was and Photo Frame has nothing.
        assert_eq!(seen.after.url, seen.frame.url, "{seen:?}");
        assert_eq!(
            trace.find(wk::AS, "POST /login").count(),
            1,
            "only Alice's own sign-in"
        );
        assert_eq!(trace.find(wk::AS, "POST /consent").count(), 2, "{seen:?}");
        assert_eq!(server.attack_goal(), None, "{seen:?}");
        server.shutdown();
    }
}

/// What Alice's visit to the prize page showed.
#[derive(Debug)]
struct Clickjacked {
    /// The frame once loaded.
    frame: Framed,
    /// Where the click on the decoy goes.
    aim: Aim,
    /// The frame after the click.
    after: Framed,
    /// The "Allow" button of the AS's consent page for Photo Frame.
    allow: Rect,
}

/// Where a click at the centre of the decoy goes.
#[derive(Debug)]
struct Aim {
    /// The tag of the element on top there (`IFRAME`: the frame takes the click).
    on_top: String,
    /// That point in the frame's own coordinates.
    x: f64,
    y: f64,
    /// The frame's `src`.
    frame_src: String,
}

/// A box on a page, in CSS pixels from the page's top left corner.
#[derive(Debug)]
struct Rect {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
}

impl Rect {
    fn holds(&self, x: f64, y: f64) -> bool {
        (self.left..=self.left + self.width).contains(&x)
            && (self.top..=self.top + self.height).contains(&y)
    }
}

/// Which element lies on top at the decoy's centre, and where that point is in the frame.
async fn aim_at_the_decoy(browser: &Client) -> Aim {
    let read = browser
        .execute(
            "const d = document.getElementById('decoy').getBoundingClientRect();\n\
             const frame = document.querySelector('iframe');\n\
             const f = frame.getBoundingClientRect();\n\
             const x = d.left + d.width / 2, y = d.top + d.height / 2;\n\
             return [document.elementFromPoint(x, y).tagName, x - f.left, y - f.top, frame.src];",
            Vec::new(),
        )
        .await
        .expect("the page's layout");
    let v = read.as_array().expect("an array");
    Aim {
        on_top: v[0].as_str().unwrap_or("").to_string(),
        x: v[1].as_f64().unwrap_or(f64::NAN),
        y: v[2].as_f64().unwrap_or(f64::NAN),
        frame_src: v[3].as_str().unwrap_or("").to_string(),
    }
}

/// Opens `url` (the AS's authorization request for Photo Frame) top-level and reads
/// where the consent page's "Allow" button lies.
async fn allow_button_of(browser: &Client, url: &str) -> Rect {
    browser.goto(url).await.expect("the consent page");
    wait_for_form(browser, "consent").await;
    landed(browser).await;
    let read = browser
        .execute(
            "const r = document.querySelector('button[value=approve]').getBoundingClientRect();\n\
             return [r.left, r.top, r.width, r.height];",
            Vec::new(),
        )
        .await
        .expect("the Allow button's box");
    let v: Vec<f64> = read
        .as_array()
        .expect("an array")
        .iter()
        .map(|n| n.as_f64().unwrap_or(f64::NAN))
        .collect();
    Rect {
        left: v[0],
        top: v[1],
        width: v[2],
        height: v[3],
    }
}

/// Alice clicks "Claim your prize": the pointer moves to the decoy's centre and
/// presses there, and Chromium hands the press to whatever lies on top at that point
/// (WebDriver actions; Element Click would refuse an element covered by another).
async fn click_the_decoy(browser: &Client) {
    let decoy = wait_for(browser, Locator::Id("decoy"), "the decoy").await;
    let click = MouseActions::new("alice".to_string())
        .then(PointerAction::MoveToElement {
            element: decoy,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    browser
        .perform_actions(click)
        .await
        .expect("press and release at the decoy");
}

/// What the frame of the attacker's page holds, as Chromium shows it.
#[derive(Debug)]
struct Framed {
    /// The frame document's URL (Chromium's own error page when it refused).
    url: String,
    /// The ids of the frame document's forms (the AS's `login` or `consent` form).
    forms: String,
}

/// Opens the prize page and reads its frame once the frame has left `about:blank`;
/// "Show the trick" makes the frame visible meanwhile.
async fn framed_page(browser: &Client, prize: &str) -> Framed {
    browser.goto(prize).await.expect("the prize page");
    wait_for(browser, Locator::Css("iframe"), "the frame").await;
    let framed = framed_page_now(browser).await;
    show_the_trick(browser).await;
    framed
}

/// Ticks "Show the trick" (a picture under OAUTH_LAB_SCREENSHOTS=DIR), checks that
/// it shows the frame, and unticks it.
async fn show_the_trick(browser: &Client) {
    let opacity = async || {
        browser
            .execute(
                "return getComputedStyle(document.querySelector('iframe')).opacity;",
                Vec::new(),
            )
            .await
            .expect("the frame's opacity")
    };
    let toggle = wait_for(browser, Locator::Css("input[type=checkbox]"), "the toggle").await;
    toggle.click().await.expect("tick Show the trick");
    assert_eq!(opacity().await, "0.5", "the trick is shown");
    landed(browser).await;
    toggle.click().await.expect("untick Show the trick");
    assert_eq!(opacity().await, "0.0001", "the trick is hidden again");
}

/// Reads the prize page's frame once it has left `about:blank` and finished loading.
async fn framed_page_now(browser: &Client) -> Framed {
    let until = std::time::Instant::now() + PAGE_WAIT;
    loop {
        browser.enter_frame(0).await.expect("enter the frame");
        let read = browser
            .execute(
                "return [document.location.href, document.readyState, \
                 Array.from(document.forms).map(f => f.id).join(' ')];",
                Vec::new(),
            )
            .await;
        browser.enter_parent_frame().await.expect("leave the frame");
        if let Ok(serde_json::Value::Array(v)) = &read {
            let url = v[0].as_str().unwrap_or("").to_string();
            if url != "about:blank" && v[1].as_str() == Some("complete") {
                return Framed {
                    url,
                    forms: v[2].as_str().unwrap_or("").to_string(),
                };
            }
        }
        assert!(
            std::time::Instant::now() < until,
            "the frame loaded within {PAGE_WAIT:?}: {read:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Opens the attacker's site and follows where it and the AS send her; on a sign-in
/// form there (not the AS's own page: she trusts the AS's redirect), Alice types her
/// password.
async fn visit_attackers_site(browser: &Client, entry: &str) -> Landed {
    browser.goto(entry).await.expect("the attacker's site");
    let landed = landed(browser).await;
    if landed.url.starts_with(entry) {
        let login = wait_for_form(browser, "login").await;
        type_alices_password(&login).await;
        let action = url::Url::parse(&format!("{entry}steal")).expect("a URL");
        browser
            .wait()
            .at_most(PAGE_WAIT)
            .for_url(&action)
            .await
            .unwrap_or_else(|e| panic!("the form posts to {action} within {PAGE_WAIT:?}: {e}"));
    }
    landed
}

/// Where the browser ended up.
#[derive(Debug)]
struct Landed {
    url: String,
    title: String,
    text: String,
}

/// Chromium's driver (none when the browser is missing outside CI: the test is then
/// skipped, as `Chromedriver::start` says), the live attacker's site of the attack `id`,
/// and a runtime for the WebDriver client.
fn chromium_at_site(
    what: &str,
    id: &str,
) -> Option<(Chromedriver, AttackSite, tokio::runtime::Runtime)> {
    let driver = Chromedriver::start(what)?;
    let site =
        AttackSite::of(find(id).expect("in the catalog")).unwrap_or_else(|why| panic!("{why}"));
    Some((driver, site, webdriver_runtime()))
}

/// A runtime for the WebDriver client.
fn webdriver_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for the WebDriver client")
}

/// Runs `visit` in a new Chromium session, within 40 s, then ends the session.
fn in_session<T>(
    runtime: &tokio::runtime::Runtime,
    driver: &Chromedriver,
    what: &str,
    visit: impl AsyncFnOnce(&Client) -> T,
) -> T {
    runtime.block_on(async {
        let browser = connect(driver).await;
        let outcome = tokio::time::timeout(Duration::from_secs(40), visit(&browser)).await;
        // Ending the session ends Chromium; the driver's drop ends what is left.
        let _ = tokio::time::timeout(PAGE_WAIT, browser.close()).await;
        outcome.unwrap_or_else(|_| panic!("{what} finished within 40 s"))
    })
}

/// A new Chromium session, within [`PAGE_WAIT`].
async fn connect(driver: &Chromedriver) -> Client {
    let mut builder = ClientBuilder::new(HttpConnector::new());
    builder.capabilities(driver.capabilities());
    match tokio::time::timeout(PAGE_WAIT, builder.connect(&driver.url())).await {
        Ok(Ok(session)) => session,
        Ok(Err(e)) => panic!("a Chromium session from {}: {e}", driver.url()),
        Err(_) => panic!("a Chromium session within {PAGE_WAIT:?}"),
    }
}

/// Opens Photo Printer, follows its sign-in link, signs in as Alice and approves.
async fn sign_in(browser: &Client, client: &str, auth_server: &str) -> Landed {
    browser
        .goto(&format!("{client}/"))
        .await
        .expect("the client's home page");
    wait_for(browser, Locator::Css("a[href^='/login']"), "a sign-in link")
        .await
        .click()
        .await
        .expect("click the sign-in link");
    let login = wait_for_form(browser, "login").await;
    let here = browser.current_url().await.expect("a URL");
    assert!(
        here.as_str().starts_with(auth_server),
        "the login form is the AS's: {here}"
    );
    type_alices_password(&login).await;
    let consent = wait_for_form(browser, "consent").await;
    consent
        .submit_with(Locator::Css("button[value='approve']"))
        .await
        .expect("approve");
    wait_for(
        browser,
        Locator::XPath("//title[text()='Your photos']"),
        "the photos page",
    )
    .await;
    landed(browser).await
}

/// The page the browser shows.
async fn landed(browser: &Client) -> Landed {
    // OAUTH_LAB_SCREENSHOTS=DIR keeps a picture of every page read, to look at.
    if let Ok(dir) = std::env::var("OAUTH_LAB_SCREENSHOTS") {
        static SHOT: AtomicUsize = AtomicUsize::new(0);
        let png = browser.screenshot().await.expect("a screenshot");
        let n = SHOT.fetch_add(1, Ordering::SeqCst);
        std::fs::write(format!("{dir}/page-{n}.png"), png).expect("write the screenshot");
    }
    Landed {
        url: browser.current_url().await.expect("a URL").to_string(),
        title: browser.title().await.expect("a title"),
        text: browser
            .find(Locator::Css("body"))
            .await
            .expect("a body")
            .text()
            .await
            .expect("its text"),
    }
}

/// Alice types her username and password into a sign-in form and submits it.
async fn type_alices_password(form: &Form) {
    form.set_by_name("username", wk::ALICE)
        .await
        .expect("username");
    form.set_by_name("password", wk::ALICE_PASSWORD)
        .await
        .expect("password");
    form.submit().await.expect("submit the sign-in form");
}

async fn wait_for_form(browser: &Client, id: &str) -> Form {
    wait_for(browser, Locator::Id(id), id).await;
    browser
        .form(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("the {id} form: {e}"))
}

/// The element `locator` finds, waiting for it at most [`PAGE_WAIT`].
async fn wait_for(browser: &Client, locator: Locator<'_>, what: &str) -> Element {
    browser
        .wait()
        .at_most(PAGE_WAIT)
        .for_element(locator)
        .await
        .unwrap_or_else(|e| panic!("{what} within {PAGE_WAIT:?}: {e}"))
}
