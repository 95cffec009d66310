//! The lessons on offer and the learner's progress in them, loaded from (and saved to)
//! a progress store when there is one.

use std::collections::BTreeMap;

use crate::lesson::{self, Lesson, Listed, Progress, ProgressStore};

/// The lessons on offer and the learner's progress in them.
pub struct Library {
    pub lessons: Vec<Lesson>,
    /// Problems of lesson files that did not load (`OAUTH_LAB_LESSONS`).
    pub problems: Vec<String>,
    /// Where progress is saved; `None`: kept in memory only (tests, demos).
    pub store: Option<ProgressStore>,
    /// The progress of each lesson, as last loaded or saved.
    pub saved: BTreeMap<String, Progress>,
    /// Warnings from loading progress (a corrupt file moved aside).
    pub warnings: Vec<String>,
    /// Why the last save failed, while it is the last one (a later save that succeeds
    /// carries everything, and clears it).
    pub save_error: Option<String>,
}

impl Library {
    /// The lessons of `$OAUTH_LAB_LESSONS`, or the built-in course; progress in memory.
    pub fn builtin() -> Self {
        let (lessons, problems) = lesson::available();
        Library {
            lessons,
            problems: problems.iter().map(|d| d.to_string()).collect(),
            store: None,
            saved: BTreeMap::new(),
            warnings: Vec::new(),
            save_error: None,
        }
    }

    /// What leaving a lesson means for its progress, as the last save left it.
    pub fn progress_words(&self) -> String {
        match (&self.store, &self.save_error) {
            (None, _) => "your progress is kept until you quit".to_string(),
            (Some(_), None) => "your progress is saved".to_string(),
            (Some(_), Some(e)) => format!("your progress could NOT be saved ({e})"),
        }
    }

    /// The same lessons, with progress loaded from (and saved to) `store`.
    pub fn with_store(store: ProgressStore) -> Self {
        let mut lib = Library::builtin();
        for l in &lib.lessons {
            let loaded = store.load_for(l);
            if let Some(w) = loaded.warning {
                lib.warnings.push(w);
            }
            lib.saved.insert(l.id.clone(), loaded.progress);
        }
        lib.store = Some(store);
        lib
    }

    /// Adds a lesson (a teacher's own file), replacing one with the same id; loads its
    /// progress from the store.
    pub fn add(&mut self, l: Lesson) {
        if !self.saved.contains_key(&l.id)
            && let Some(store) = &self.store
        {
            let loaded = store.load_for(&l);
            if let Some(w) = loaded.warning {
                self.warnings.push(w);
            }
            self.saved.insert(l.id.clone(), loaded.progress);
        }
        match self.lessons.iter().position(|x| x.id == l.id) {
            Some(i) => self.lessons[i] = l,
            None => self.lessons.push(l),
        }
    }

    pub fn progress(&self, id: &str) -> Progress {
        self.saved
            .get(id)
            .cloned()
            .unwrap_or_else(|| Progress::new(id))
    }

    /// Every lesson with the learner's progress, for the list.
    pub fn listed(&self) -> Vec<Listed> {
        self.lessons
            .iter()
            .map(|l| lesson::listed(l, &self.progress(&l.id), None))
            .collect()
    }
}
