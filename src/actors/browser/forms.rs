//! How the person at the browser fills in and submits the forms of a page
//! (HTML §4.10.21 form submission, reduced to what our pages use).

use http::Method;

use super::person::Person;
use crate::protocol::html::{Form, Page};
use crate::protocol::params::Params;

/// What the person does with a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    /// `<form id="login">`: type username and password, submit.
    Login,
    /// `<form id="consent">`: press the `decision` button matching the choice.
    Consent,
    /// `<form id="autosubmit">`: a script submits it at once, as is.
    AutoSubmit,
    /// `<form id="fragment-handler">`: the page's script reads `location.hash`, adds
    /// each fragment parameter to the form as a field and submits it (how an implicit
    /// flow client's callback page hands the token to its server). With no fragment it
    /// does nothing.
    FragmentHandler,
}

impl FormKind {
    pub fn of(form: &Form) -> Option<FormKind> {
        match form.id.as_deref()? {
            "login" => Some(FormKind::Login),
            "consent" => Some(FormKind::Consent),
            "autosubmit" => Some(FormKind::AutoSubmit),
            "fragment-handler" => Some(FormKind::FragmentHandler),
            _ => None,
        }
    }

    /// The first form of `page` the person knows what to do with, and what that is.
    pub fn first_in(page: &Page) -> Option<(&Form, FormKind)> {
        page.forms
            .iter()
            .find_map(|f| FormKind::of(f).map(|k| (f, k)))
    }

    pub fn id(self) -> &'static str {
        match self {
            FormKind::Login => "login",
            FormKind::Consent => "consent",
            FormKind::AutoSubmit => "autosubmit",
            FormKind::FragmentHandler => "fragment-handler",
        }
    }

    /// Whether a script, not the person, submits this form.
    pub fn is_scripted(self) -> bool {
        matches!(self, FormKind::AutoSubmit | FormKind::FragmentHandler)
    }
}

/// A form ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub method: Method,
    /// Absolute URL (with the query, for GET).
    pub url: String,
    /// The urlencoded body, for POST.
    pub body: Option<String>,
    /// The label of the pressed button, if any.
    pub pressed: Option<String>,
}

/// The body bytes and `Content-Type` a browser sends for a submission's body: a POST
/// form goes urlencoded (HTML §4.10.21.3 "application/x-www-form-urlencoded"), a GET
/// one carries nothing.
pub(super) fn body_and_content_type(body: Option<String>) -> (Vec<u8>, Option<String>) {
    match body {
        Some(b) => (
            b.into_bytes(),
            Some("application/x-www-form-urlencoded".to_string()),
        ),
        None => (Vec::new(), None),
    }
}

/// Why a form was not submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotSubmitted {
    /// The consent form has no button for the person's choice.
    NoButton(String),
    /// The action is not a URL.
    BadAction(String),
}

fn is_button_input(ty: &str) -> bool {
    matches!(
        ty.to_ascii_lowercase().as_str(),
        "submit" | "button" | "image" | "reset"
    )
}

/// Builds the submission of `form` on the page at `page_url`, as `person` would do it.
pub fn submit(
    form: &Form,
    kind: FormKind,
    page_url: &str,
    person: &Person,
) -> Result<Submission, NotSubmitted> {
    submit_with_fields(form, kind, page_url, person, &Params::default())
}

/// Like [`submit`], with `extra` fields appended after the form's own inputs (what a
/// script adds before submitting, such as the fragment's parameters).
pub fn submit_with_fields(
    form: &Form,
    kind: FormKind,
    page_url: &str,
    person: &Person,
    extra: &Params,
) -> Result<Submission, NotSubmitted> {
    let mut data = Params::default();
    for (name, ty, value) in &form.inputs {
        if is_button_input(ty) {
            continue;
        }
        let value = match (kind, name.as_str()) {
            (FormKind::Login, "username") => person.username.as_str(),
            (FormKind::Login, "password") => person.password.as_str(),
            _ => value.as_str(),
        };
        data.push(name, value);
    }
    // Buttons: <button name value> and <input type=submit name value>.
    let buttons: Vec<(String, String, String)> = form
        .buttons
        .iter()
        .cloned()
        .chain(
            form.inputs
                .iter()
                .filter(|(_, ty, _)| ty.eq_ignore_ascii_case("submit"))
                .map(|(n, _, v)| (n.clone(), v.clone(), v.clone())),
        )
        .collect();
    for (name, value) in &extra.0 {
        data.push(name, value);
    }
    let pressed = match kind {
        FormKind::AutoSubmit | FormKind::FragmentHandler => None,
        FormKind::Login => buttons.first().cloned(),
        FormKind::Consent => {
            let want = person.consent.button_value();
            let b = buttons
                .iter()
                .find(|(n, v, _)| n == "decision" && v.eq_ignore_ascii_case(want))
                .or_else(|| {
                    buttons
                        .iter()
                        .find(|(_, v, _)| v.eq_ignore_ascii_case(want))
                });
            match b {
                Some(b) => Some(b.clone()),
                None => return Err(NotSubmitted::NoButton(want.to_string())),
            }
        }
    };
    if let Some((name, value, _)) = &pressed {
        data.push(name, value);
    }
    let base = url::Url::parse(page_url).map_err(|_| NotSubmitted::BadAction(page_url.into()))?;
    let mut action = if form.action.trim().is_empty() {
        base
    } else {
        base.join(form.action.trim())
            .map_err(|_| NotSubmitted::BadAction(form.action.clone()))?
    };
    action.set_fragment(None);
    let label = pressed.map(|(_, v, l)| if l.is_empty() { v } else { l });
    if form.method.eq_ignore_ascii_case("POST") {
        Ok(Submission {
            method: Method::POST,
            url: action.to_string(),
            body: Some(data.encode()),
            pressed: label,
        })
    } else {
        action.set_query(Some(&data.encode()));
        Ok(Submission {
            method: Method::GET,
            url: action.to_string(),
            body: None,
            pressed: label,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::browser::ConsentChoice;
    use crate::protocol::html::{page, parse_page};

    fn form(html: &str) -> Form {
        parse_page(&page("t", html)).forms.remove(0)
    }

    #[test]
    fn login_fills_credentials_and_keeps_hidden_inputs() {
        let f = form(
            r#"<form id="login" method="post" action="/login"><input type="hidden" name="txn" value="t1">
<input name="username" value="x"><input type="password" name="password"><button name="go" value="1">Sign in</button></form>"#,
        );
        let s = submit(
            &f,
            FormKind::Login,
            "https://as.example/authorize?a=b",
            &Person::alice(),
        )
        .unwrap();
        assert_eq!(s.method, Method::POST);
        assert_eq!(s.url, "https://as.example/login");
        assert_eq!(
            s.body.as_deref(),
            Some("txn=t1&username=alice&password=correct-horse-battery&go=1")
        );
    }

    #[test]
    fn the_fragment_handler_adds_the_fields_and_drops_the_fragment() {
        let f = form(
            r#"<form id="fragment-handler" method="post" action="/implicit-cb/token#x"><input type="hidden" name="v" value="1"></form>"#,
        );
        assert_eq!(FormKind::of(&f), Some(FormKind::FragmentHandler));
        assert!(FormKind::FragmentHandler.is_scripted());
        let extra = Params::parse("access_token=a%2Bb&state=s+1");
        let s = submit_with_fields(
            &f,
            FormKind::FragmentHandler,
            "https://client.example/implicit-cb#access_token=a%2Bb&state=s+1",
            &Person::alice(),
            &extra,
        )
        .unwrap();
        assert_eq!(s.method, Method::POST);
        assert_eq!(s.url, "https://client.example/implicit-cb/token");
        assert_eq!(s.body.as_deref(), Some("v=1&access_token=a%2Bb&state=s+1"));
        assert_eq!(s.pressed, None);
    }

    #[test]
    fn consent_presses_the_matching_button_and_get_uses_the_query() {
        let f = form(
            r#"<form id="consent" action="consent?old=1"><input type="hidden" name="txn" value="t 1">
<button name="decision" value="approve">Allow</button><button name="decision" value="deny">Deny</button></form>"#,
        );
        let deny = Person::alice().with_consent(ConsentChoice::Deny);
        let s = submit(&f, FormKind::Consent, "https://as.example/a/b", &deny).unwrap();
        assert_eq!(s.method, Method::GET);
        assert_eq!(s.url, "https://as.example/a/consent?txn=t+1&decision=deny");
        assert_eq!(s.pressed.as_deref(), Some("Deny"));
        let only_allow = form(
            r#"<form id="consent"><button name="decision" value="approve">Allow</button></form>"#,
        );
        assert!(matches!(
            submit(&only_allow, FormKind::Consent, "https://as.example/", &deny),
            Err(NotSubmitted::NoButton(_))
        ));
    }
}
