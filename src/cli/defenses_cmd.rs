//! `oauth-lab defenses`: every toggle, its explanation, RFC section, and its value in
//! each profile.

use clap::Args;

use crate::actors::defenses::{DEFENSES, Profile};

#[derive(Debug, Clone, Args)]
pub struct DefensesArgs {}

pub fn render(_args: &DefensesArgs) -> String {
    let mut out = String::from(
        "Defenses (\"on\" is always the safe setting; --enable / --disable NAME, --set NAME=VALUE)\n\n",
    );
    let profiles: Vec<_> = Profile::ALL
        .iter()
        .map(|p| (p.name(), p.defenses()))
        .collect();
    out.push_str(&format!(
        "{:<34} {:<11} {:>9} {:>9} {:>9}\n",
        "NAME", "OWNER", "naive", "rfc6749", "bcp"
    ));
    for d in DEFENSES {
        let values: Vec<String> = profiles.iter().map(|(_, p)| p.value_label(d.id)).collect();
        out.push_str(&format!(
            "{:<34} {:<11} {:>9} {:>9} {:>9}\n",
            d.name, d.owner, values[0], values[1], values[2]
        ));
        out.push_str(&format!("    {} — {}\n", d.explanation, d.rfc));
    }
    out.push_str("\nProfiles:\n");
    for p in Profile::ALL {
        out.push_str(&format!("  {:<8} {}\n", p.name(), p.description()));
    }
    out
}
