//! The HTML the AS shows the person at the browser: the login form, the consent form
//! and error pages. Every interpolated value is escaped.

use super::esc;
use crate::protocol::html::page;

/// The login form (`<form id="login" method="post" action="/login">`).
pub fn login_page(issuer: &str, txn: &str, client_name: &str, message: Option<&str>) -> String {
    let message = message
        .map(|m| format!("<p class=\"error\">{}</p>\n", esc(m)))
        .unwrap_or_default();
    page(
        "Sign in",
        &format!(
            r#"<h1>Sign in to {issuer}</h1>
<p>{client} wants to access your account.</p>
{message}<form id="login" method="post" action="/login">
<input type="hidden" name="txn" value="{txn}">
<label>Username <input type="text" name="username"></label>
<label>Password <input type="password" name="password"></label>
<button type="submit">Sign in</button>
</form>"#,
            issuer = esc(issuer),
            client = esc(client_name),
            txn = esc(txn),
        ),
    )
}

/// The consent form (`<form id="consent" method="post" action="/consent">`).
pub fn consent_page(
    txn: &str,
    user: &str,
    client_name: &str,
    client_id: &str,
    scope: &[String],
) -> String {
    let items: String = scope
        .iter()
        .map(|s| format!("<li>{}</li>", esc(s)))
        .collect();
    page(
        "Authorize access",
        &format!(
            r#"<h1>Allow {client} to access your account?</h1>
<p>Signed in as {user}. {client} (client_id {client_id}) asks for:</p>
<ul>{items}</ul>
<form id="consent" method="post" action="/consent">
<input type="hidden" name="txn" value="{txn}">
<button type="submit" name="decision" value="approve">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>"#,
            client = esc(client_name),
            user = esc(user),
            client_id = esc(client_id),
            txn = esc(txn),
        ),
    )
}

/// An error page.
pub fn error_page(title: &str, message: &str) -> String {
    page(
        title,
        &format!("<h1>{}</h1>\n<p>{}</p>", esc(title), esc(message)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::html::parse_page;

    #[test]
    fn forms_have_the_fields_the_browser_fills() {
        let p = parse_page(&login_page(
            "as.example",
            "t\"1",
            "<Printer>",
            Some("wrong"),
        ));
        let f = &p.forms[0];
        assert_eq!(f.id.as_deref(), Some("login"));
        assert_eq!(f.action, "/login");
        assert_eq!(f.inputs[0], ("txn".into(), "hidden".into(), "t\"1".into()));
        assert_eq!(f.inputs[2].1, "password");
        let c = parse_page(&consent_page(
            "t",
            "alice",
            "Printer",
            "p",
            &["openid".into()],
        ));
        let f = &c.forms[0];
        assert_eq!(f.id.as_deref(), Some("consent"));
        assert_eq!(f.buttons.len(), 2);
        assert_eq!(f.buttons[1].1, "deny");
    }
}
