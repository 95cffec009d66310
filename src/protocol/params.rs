//! Request parameters from a query string or an `application/x-www-form-urlencoded`
//! body, decoded with `form_urlencoded`, with the rules of RFC 6749 §3.1 and §3.2:
//! parameters sent without a value are treated as omitted, and a parameter must not
//! be included more than once.

use serde::{Deserialize, Serialize};

/// Decoded name/value pairs in the order they appeared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Params(pub Vec<(String, String)>);

/// A parameter appeared more than once (RFC 6749 §3.1: "Request and response
/// parameters MUST NOT be included more than once").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("parameter `{0}` is repeated")]
pub struct Repeated(pub String);

impl Params {
    /// Decodes `a=1&b=2` (a query string or a form body).
    pub fn parse(encoded: &str) -> Self {
        Params(
            form_urlencoded::parse(encoded.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The query parameters of a URL or request target.
    pub fn from_query(uri: &http::Uri) -> Self {
        uri.query().map(Self::parse).unwrap_or_default()
    }

    /// Encodes pairs with `form_urlencoded`.
    pub fn encode(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.0.iter())
            .finish()
    }

    /// Builds params from borrowed pairs.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Params(
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    /// Appends a pair.
    pub fn push(&mut self, name: &str, value: &str) {
        self.0.push((name.to_string(), value.to_string()));
    }

    /// The single non-empty value of `name`: `Ok(None)` when absent or empty
    /// (RFC 6749 §3.1), `Err` when given more than once.
    pub fn single(&self, name: &str) -> Result<Option<&str>, Repeated> {
        let mut found = None;
        for (k, v) in &self.0 {
            if k == name {
                if found.is_some() {
                    return Err(Repeated(name.to_string()));
                }
                found = Some(v.as_str());
            }
        }
        Ok(found.filter(|v| !v.is_empty()))
    }

    /// The first non-empty value of `name`, ignoring repetition (for lenient readers
    /// such as the browser or an attacker).
    pub fn first(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// Whether any parameter is named `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// Iterates over the pairs.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// Returns `base` with `params` appended to its query, using the `url` crate so that
/// an existing query is kept (RFC 6749 §3.1.2: the redirection endpoint URI "MAY
/// include a query component, which MUST be retained when adding additional query
/// parameters").
pub fn append_query(base: &str, params: &Params) -> String {
    match url::Url::parse(base) {
        Ok(mut url) => {
            {
                let mut q = url.query_pairs_mut();
                for (k, v) in params.iter() {
                    q.append_pair(k, v);
                }
            }
            url.to_string()
        }
        Err(_) => {
            let sep = if base.contains('?') { '&' } else { '?' };
            format!("{base}{sep}{}", params.encode())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_count_as_absent_and_repeats_are_errors() {
        let p = Params::parse("state=&scope=a+b&code=1&code=2");
        assert_eq!(p.single("state"), Ok(None));
        assert_eq!(p.single("scope"), Ok(Some("a b")));
        assert_eq!(p.single("missing"), Ok(None));
        assert_eq!(p.single("code"), Err(Repeated("code".into())));
    }

    #[test]
    fn append_query_keeps_an_existing_query() {
        let p = Params::from_pairs([("code", "x y"), ("state", "s")]);
        assert_eq!(
            append_query("https://client.example/cb?tenant=1", &p),
            "https://client.example/cb?tenant=1&code=x+y&state=s"
        );
        assert_eq!(
            append_query("com.example.photos:/cb", &p),
            "com.example.photos:/cb?code=x+y&state=s"
        );
    }
}
