//! The narration the TUI shows: the sentences live in the export layer
//! (`crate::export::narrate`), so exports and the UI say the same thing.

pub use crate::export::narrate::{channel_words, headline, narrate, sentence, who};
