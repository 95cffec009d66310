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
    out.push_str(&format!("{:<34} {:<11}", "NAME", "OWNER"));
    for (name, _) in &profiles {
        out.push_str(&format!(" {name:>9}"));
    }
    out.push('\n');
    for d in DEFENSES {
        out.push_str(&format!("{:<34} {:<11}", d.name, d.owner));
        for (_, p) in &profiles {
            out.push_str(&format!(" {:>9}", p.value_label(d.id)));
        }
        out.push('\n');
        out.push_str(&format!("    {} — {}\n", d.explanation, d.rfc));
    }
    out.push_str("\nProfiles:\n");
    for p in Profile::ALL {
        out.push_str(&format!("  {:<8} {}\n", p.name(), p.description()));
        let defenses = p.defenses();
        for (requirement, id) in p.requirements() {
            out.push_str(&format!(
                "           {requirement}: {id} = {}\n",
                defenses.value_label(*id)
            ));
        }
    }
    out
}
