//! `oauth-lab progress [--format text|markdown|json]`: every lesson and challenge with
//! completion, score, hints used (challenges; lessons have none) and time of completion
//! — the one file a learner hands in. The JSON form is stable and versioned.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::challenge::{ChallengeProgress, bundled};
use crate::lesson::{self, ProgressStore};
use crate::terminal_text::{one_line, printable};

/// The version of the JSON form (`"version"`).
pub const PROGRESS_REPORT_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ProgressArgs {
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Where progress is saved (default: $XDG_DATA_HOME/oauth-lab).
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

/// The report, field by field (the JSON form).
#[derive(Debug, Serialize)]
pub struct Report {
    pub format: &'static str,
    pub version: u32,
    pub lessons: Vec<LessonLine>,
    pub challenges: Vec<ChallengeLine>,
    pub totals: Totals,
}

#[derive(Debug, Serialize)]
pub struct LessonLine {
    pub id: String,
    pub number: Option<u32>,
    pub title: String,
    pub completed: bool,
    pub parts_done: usize,
    pub parts: usize,
    pub score: usize,
    pub max_score: usize,
    /// RFC 3339, UTC; `null` when not completed (or completed before times were kept).
    pub completed_at: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ChallengeLine {
    pub id: String,
    pub title: String,
    pub difficulty: u32,
    pub solved: bool,
    pub score: Option<u32>,
    pub max_score: u32,
    pub hints_used: usize,
    /// The goal reached and the step it held at.
    pub goal: Option<String>,
    pub step: Option<usize>,
    pub solved_at: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Totals {
    pub lessons_completed: usize,
    pub lessons: usize,
    pub lesson_score: usize,
    pub challenges_solved: usize,
    pub challenges: usize,
    pub challenge_score: u32,
}

/// `1970-01-01T00:00:00Z` for Unix seconds (the proleptic Gregorian calendar, UTC).
pub fn rfc3339(unix_secs: u64) -> String {
    let days = (unix_secs / 86_400) as i64;
    let secs = unix_secs % 86_400;
    // Days to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// The report from what `store` holds.
pub fn report(store: &ProgressStore) -> (Report, Vec<String>) {
    let mut warnings = Vec::new();
    let (lessons, problems) = lesson::available();
    warnings.extend(problems.iter().map(|d| d.to_string()));
    let lessons: Vec<LessonLine> = (lessons.iter())
        .map(|l| {
            let loaded = store.load_for(l);
            warnings.extend(loaded.warning.clone());
            let listed = lesson::listed(l, &loaded.progress, None);
            LessonLine {
                id: listed.id,
                number: listed.number,
                title: listed.title,
                completed: listed.completed,
                parts_done: listed.parts_done,
                parts: listed.parts,
                score: listed.score,
                max_score: listed.max_score,
                completed_at: loaded.progress.completed_at.map(rfc3339),
            }
        })
        .collect();
    let (challenges, problems) = bundled::challenges();
    warnings.extend(problems.iter().map(|d| d.to_string()));
    let challenges: Vec<ChallengeLine> = (challenges.iter())
        .map(|c| {
            let loaded = store.load_record::<ChallengeProgress>(&c.id);
            warnings.extend(loaded.warning.clone());
            let p = loaded.progress;
            ChallengeLine {
                id: c.id.clone(),
                title: c.title.clone(),
                difficulty: c.difficulty,
                solved: p.solved,
                score: p.score,
                max_score: c.points,
                hints_used: p.hints_used,
                goal: p.goal,
                step: p.step,
                solved_at: p.solved_at.map(rfc3339),
            }
        })
        .collect();
    let totals = Totals {
        lessons_completed: lessons.iter().filter(|l| l.completed).count(),
        lessons: lessons.len(),
        lesson_score: lessons.iter().map(|l| l.score).sum(),
        challenges_solved: challenges.iter().filter(|c| c.solved).count(),
        challenges: challenges.len(),
        challenge_score: challenges.iter().filter_map(|c| c.score).sum(),
    };
    let report = Report {
        format: "oauth-lab-progress",
        version: PROGRESS_REPORT_VERSION,
        lessons,
        challenges,
        totals,
    };
    (report, warnings)
}

/// The closing line of the text and Markdown forms.
fn totals_line(t: &Totals) -> String {
    format!(
        "\n{} of {} lessons completed (score {}); {} of {} challenges solved (score {}).\n",
        t.lessons_completed,
        t.lessons,
        t.lesson_score,
        t.challenges_solved,
        t.challenges,
        t.challenge_score
    )
}

fn text(r: &Report) -> String {
    let mut s = String::from("Lessons\n");
    for l in &r.lessons {
        let status = if l.completed {
            format!("done, score {}/{}", l.score, l.max_score)
        } else {
            format!(
                "{}/{} parts, score {}/{}",
                l.parts_done, l.parts, l.score, l.max_score
            )
        };
        let when = l
            .completed_at
            .as_deref()
            .map(|t| format!("  {t}"))
            .unwrap_or_default();
        s.push_str(&format!("  {:<44} {status}{when}\n", one_line(&l.title)));
    }
    s.push_str("\nChallenges\n");
    for c in &r.challenges {
        let status = match c.score {
            Some(score) if c.solved => format!("solved, score {score}/{}", c.max_score),
            _ => "not solved".to_string(),
        };
        let when = c
            .solved_at
            .as_deref()
            .map(|t| format!("  {t}"))
            .unwrap_or_default();
        s.push_str(&format!(
            "  {:<44} {status}, {} hint(s){when}\n",
            one_line(&c.title),
            c.hints_used
        ));
    }
    s.push_str(&totals_line(&r.totals));
    s
}

/// A Markdown table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}

fn markdown(r: &Report) -> String {
    let mut s = String::from(
        "# oauth-lab progress\n\n## Lessons\n\n| Lesson | Completed | Parts | Score | Completed at |\n|---|---|---|---|---|\n",
    );
    for l in &r.lessons {
        s.push_str(&format!(
            "| {} | {} | {}/{} | {}/{} | {} |\n",
            cell(&l.title),
            if l.completed { "yes" } else { "no" },
            l.parts_done,
            l.parts,
            l.score,
            l.max_score,
            l.completed_at.as_deref().unwrap_or("")
        ));
    }
    s.push_str("\n## Challenges\n\n| Challenge | Solved | Score | Hints used | Goal | Solved at |\n|---|---|---|---|---|---|\n");
    for c in &r.challenges {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            cell(&c.title),
            if c.solved { "yes" } else { "no" },
            c.score.map_or(format!("–/{}", c.max_score), |sc| format!(
                "{sc}/{}",
                c.max_score
            )),
            c.hints_used,
            match (&c.goal, c.step) {
                (Some(g), Some(step)) => format!("{} at step {step}", cell(g)),
                _ => String::new(),
            },
            c.solved_at.as_deref().unwrap_or("")
        ));
    }
    s.push_str(&totals_line(&r.totals));
    s
}

/// `oauth-lab progress`.
pub fn progress(args: &ProgressArgs) -> ExitCode {
    let store = ProgressStore::new(args.state_dir.clone());
    let (r, warnings) = report(&store);
    for w in &warnings {
        eprintln!("{}", printable(w));
    }
    let out = match args.format {
        ReportFormat::Text => text(&r),
        ReportFormat::Markdown => markdown(&r),
        ReportFormat::Json => {
            let mut j = serde_json::to_string_pretty(&r).unwrap_or_default();
            j.push('\n');
            j
        }
    };
    print!("{out}");
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc_3339_in_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_795_867_200), "2026-11-28T12:00:00Z");
    }
}
