//! The photo API's routes and the scope each one needs (RFC 6750 §3.1: a token whose
//! scope lacks it gets 403 `insufficient_scope` naming that scope).
//!
//! | method and path         | route                      | scope          |
//! |-------------------------|----------------------------|----------------|
//! | `GET /photos`           | [`Route::ListPhotos`]      | `photos.read`  |
//! | `GET /photos/{id}`      | [`Route::GetPhoto`]        | `photos.read`  |
//! | `DELETE /photos/{id}`   | [`Route::DeletePhoto`]     | `photos.write` |

use http::Method;
use serde::{Deserialize, Serialize};

use crate::actors::well_known::{SCOPE_PHOTOS_READ, SCOPE_PHOTOS_WRITE};

/// One operation of the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "route", content = "photo")]
pub enum Route {
    /// `GET /photos`: the caller's photos.
    ListPhotos,
    /// `GET /photos/{id}`: one of the caller's photos.
    GetPhoto(String),
    /// `DELETE /photos/{id}`: removes one of the caller's photos.
    DeletePhoto(String),
}

/// Why a request matches no route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteError {
    /// Nothing lives at that path (404).
    NotFound,
    /// The path exists but not for that method (405); `allow` is the `Allow` header
    /// (RFC 9110 §10.2.1).
    MethodNotAllowed { allow: &'static str },
}

/// The methods of `/photos`.
pub const ALLOW_LIST: &str = "GET";
/// The methods of `/photos/{id}`.
pub const ALLOW_ONE: &str = "GET, DELETE";

impl Route {
    /// Matches a method and a path (a trailing `/` is ignored).
    pub fn resolve(method: &Method, path: &str) -> Result<Route, RouteError> {
        let path = path.trim_end_matches('/');
        if path == "/photos" {
            return if method == Method::GET {
                Ok(Route::ListPhotos)
            } else {
                Err(RouteError::MethodNotAllowed { allow: ALLOW_LIST })
            };
        }
        let Some(id) = path
            .strip_prefix("/photos/")
            .filter(|id| !id.is_empty() && !id.contains('/'))
        else {
            return Err(RouteError::NotFound);
        };
        match *method {
            Method::GET => Ok(Route::GetPhoto(id.to_string())),
            Method::DELETE => Ok(Route::DeletePhoto(id.to_string())),
            _ => Err(RouteError::MethodNotAllowed { allow: ALLOW_ONE }),
        }
    }

    /// The scope a token needs for this route: reading needs `photos.read`, deleting
    /// needs `photos.write` (read access does not imply write access).
    pub fn required_scope(&self) -> &'static str {
        match self {
            Route::ListPhotos | Route::GetPhoto(_) => SCOPE_PHOTOS_READ,
            Route::DeletePhoto(_) => SCOPE_PHOTOS_WRITE,
        }
    }

    /// The photo the route names, if any.
    pub fn photo_id(&self) -> Option<&str> {
        match self {
            Route::ListPhotos => None,
            Route::GetPhoto(id) | Route::DeletePhoto(id) => Some(id),
        }
    }

    /// `GET /photos/{id}`-style label.
    pub fn pattern(&self) -> &'static str {
        match self {
            Route::ListPhotos => "GET /photos",
            Route::GetPhoto(_) => "GET /photos/{id}",
            Route::DeletePhoto(_) => "DELETE /photos/{id}",
        }
    }

    /// Every route pattern with its scope, for the State view.
    pub fn table() -> [(&'static str, &'static str); 3] {
        [
            ("GET /photos", SCOPE_PHOTOS_READ),
            ("GET /photos/{id}", SCOPE_PHOTOS_READ),
            ("DELETE /photos/{id}", SCOPE_PHOTOS_WRITE),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_their_scopes() {
        assert_eq!(
            Route::resolve(&Method::GET, "/photos/"),
            Ok(Route::ListPhotos)
        );
        assert_eq!(
            Route::resolve(&Method::DELETE, "/photos/a1"),
            Ok(Route::DeletePhoto("a1".into()))
        );
        assert_eq!(
            Route::resolve(&Method::DELETE, "/photos"),
            Err(RouteError::MethodNotAllowed { allow: "GET" })
        );
        assert_eq!(
            Route::resolve(&Method::PUT, "/photos/a1"),
            Err(RouteError::MethodNotAllowed {
                allow: "GET, DELETE"
            })
        );
        assert_eq!(
            Route::resolve(&Method::GET, "/photos/a/b"),
            Err(RouteError::NotFound)
        );
        assert_eq!(Route::resolve(&Method::GET, "/"), Err(RouteError::NotFound));
        assert_eq!(Route::ListPhotos.required_scope(), "photos.read");
        assert_eq!(Route::GetPhoto("a1".into()).required_scope(), "photos.read");
        assert_eq!(
            Route::DeletePhoto("a1".into()).required_scope(),
            "photos.write"
        );
        for (pattern, scope) in Route::table() {
            assert!(pattern.contains("/photos"));
            assert!(scope.starts_with("photos."));
        }
    }
}
