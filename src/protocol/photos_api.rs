//! The body of the photo API's answer (`GET /photos`): the resource the simulated RS
//! protects. Clients and attackers read it the same way.

use serde::{Deserialize, Serialize};

/// One photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub title: String,
}

/// `{"owner": …, "photos": [{"id": …, "title": …}, …]}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PhotoList {
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub photos: Vec<Photo>,
}

impl PhotoList {
    /// Parses a JSON body; anything else gives an empty list with no owner.
    pub fn parse(body: &[u8]) -> PhotoList {
        serde_json::from_slice(body).unwrap_or_default()
    }

    /// The titles, in order.
    pub fn titles(&self) -> Vec<String> {
        self.photos.iter().map(|p| p.title.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_rs_answer_and_tolerates_garbage() {
        let l = PhotoList::parse(br#"{"owner":"alice","photos":[{"id":"a1","title":"Beach"}]}"#);
        assert_eq!(l.owner, "alice");
        assert_eq!(l.titles(), vec!["Beach"]);
        assert_eq!(PhotoList::parse(b"not json"), PhotoList::default());
    }
}
