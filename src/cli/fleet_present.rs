//! How `fleet plan` and `fleet status` read: one plan per group of targets with the targets in
//! it, the targets that drifted from the rest, and those that could not be planned; as text,
//! Markdown (a pull-request comment) or JSON.

use schemaplan::pipeline::fleet::plan::{FleetPlan, Outcome};
use schemaplan::pipeline::fleet::state::{FleetRun, TargetStatus};
use schemaplan::plan::present::MARKDOWN_CAP;

/// At most this many target names are listed in a line; the rest are counted.
const NAMES_SHOWN: usize = 12;

fn names(plan: &FleetPlan, members: &[usize]) -> String {
    let mut out: Vec<&str> = (members.iter().take(NAMES_SHOWN))
        .map(|&i| plan.targets[i].name.as_str())
        .collect();
    let more = members.len().saturating_sub(NAMES_SHOWN);
    let more = format!("and {more} more");
    if members.len() > NAMES_SHOWN {
        out.push(&more);
    }
    out.join(", ")
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The first line: how many targets, plans, drifted and unplanned.
pub fn headline(plan: &FleetPlan) -> String {
    let pending = (plan.groups.iter())
        .filter(|g| !plan.group_plan(g).plan.is_empty())
        .count();
    let unplanned = (plan.outcomes.iter())
        .filter(|o| !matches!(o, Outcome::Planned { .. }))
        .count();
    format!(
        "{}: {} to run, {} drifted from the rest, {} not planned (shadow builds: {}, rehearsals: {})",
        count(plan.targets.len(), "target", "targets"),
        count(pending, "distinct plan", "distinct plans"),
        plan.drifted.len(),
        unplanned,
        plan.shadow_runs,
        plan.rehearsals
    )
}

pub fn human(plan: &FleetPlan, options: schemaplan::plan::present::HumanOptions) -> String {
    let mut out = format!("Fleet: {}\n", headline(plan));
    for (n, g) in plan.groups.iter().enumerate() {
        let saved = plan.group_plan(g);
        let title = format!(
            "\n== plan {} ({}) for {}: {} ==\n",
            n + 1,
            g.key,
            count(g.members.len(), "target", "targets"),
            names(plan, &g.members)
        );
        out.push_str(&title);
        if saved.plan.is_empty() {
            out.push_str("No changes.\n");
            continue;
        }
        out.push_str(&saved.plan.to_human(None, options));
        if let Some(r) = &saved.rehearsal {
            out.push_str(&format!("\n{}\n", r.summary));
        }
    }
    unplanned_and_drifted(plan, &mut out, "\n", "  ");
    out
}

fn unplanned_and_drifted(plan: &FleetPlan, out: &mut String, gap: &str, indent: &str) {
    if !plan.drifted.is_empty() {
        out.push_str(&format!(
            "{gap}Drifted from the schema most targets have:\n"
        ));
        for (i, changes) in &plan.drifted {
            let shown: Vec<&str> = changes.iter().take(5).map(String::as_str).collect();
            let more = changes.len().saturating_sub(5);
            out.push_str(&format!(
                "{indent}{}: {}{}\n",
                plan.targets[*i].name,
                shown.join("; "),
                if more > 0 {
                    format!("; and {more} more")
                } else {
                    String::new()
                }
            ));
        }
    }
    let unplanned: Vec<(usize, &str, &str)> = (plan.outcomes.iter().enumerate())
        .filter_map(|(i, o)| match o {
            Outcome::Unreachable(m) => Some((i, "unreachable", m.as_str())),
            Outcome::Failed(m) => Some((i, "not planned", m.as_str())),
            Outcome::Planned { .. } => None,
        })
        .collect();
    if !unplanned.is_empty() {
        out.push_str(&format!("{gap}Not planned:\n"));
        for (i, what, message) in unplanned {
            out.push_str(&format!(
                "{indent}{} ({}): {what}: {message}\n",
                plan.targets[i].name, plan.targets[i].origin
            ));
        }
    }
}

pub fn markdown(plan: &FleetPlan) -> String {
    let mut out = format!("### schemaplan fleet plan\n\n{}\n", headline(plan));
    for (n, g) in plan.groups.iter().enumerate() {
        let saved = plan.group_plan(g);
        out.push_str(&format!(
            "\n#### Plan {} — {}\n\n{}\n\n",
            n + 1,
            count(g.members.len(), "target", "targets"),
            names(plan, &g.members)
        ));
        if saved.plan.is_empty() {
            out.push_str("No changes.\n");
        } else {
            let verdict = saved.rehearsal.as_ref().map(|r| r.summary.as_str());
            out.push_str(&saved.plan.to_markdown(verdict, MARKDOWN_CAP));
        }
    }
    unplanned_and_drifted(plan, &mut out, "\n", "- ");
    out
}

pub fn json(plan: &FleetPlan) -> serde_json::Value {
    let groups: Vec<serde_json::Value> = (plan.groups.iter())
        .map(|g| {
            let saved = plan.group_plan(g);
            serde_json::json!({
                "key": g.key,
                "targets": g.members.iter().map(|&i| &plan.targets[i].name).collect::<Vec<_>>(),
                "plan": saved.plan,
                "rehearsal": saved.rehearsal,
            })
        })
        .collect();
    let targets: Vec<serde_json::Value> = (plan.targets.iter().zip(&plan.outcomes))
        .map(|(t, o)| {
            let (status, detail) = match o {
                Outcome::Planned { saved, key } => (
                    if saved.plan.is_empty() {
                        "unchanged"
                    } else {
                        "pending"
                    },
                    serde_json::json!({ "plan": key, "plan_id": saved.plan.id }),
                ),
                Outcome::Unreachable(m) => ("unreachable", serde_json::json!({ "error": m })),
                Outcome::Failed(m) => ("failed", serde_json::json!({ "error": m })),
            };
            let mut v = serde_json::json!({
                "name": t.name, "labels": t.labels, "status": status,
            });
            for (k, x) in detail.as_object().expect("an object") {
                v[k] = x.clone();
            }
            v
        })
        .collect();
    let drifted: Vec<serde_json::Value> = (plan.drifted.iter())
        .map(|(i, changes)| serde_json::json!({ "target": plan.targets[*i].name, "changes": changes }))
        .collect();
    serde_json::json!({
        "targets": targets,
        "groups": groups,
        "drifted": drifted,
        "shadow_builds": plan.shadow_runs,
        "rehearsals": plan.rehearsals,
    })
}

fn status_word(s: TargetStatus) -> &'static str {
    match s {
        TargetStatus::Pending => "pending",
        TargetStatus::Running => "running",
        TargetStatus::Applied => "applied",
        TargetStatus::Unchanged => "unchanged",
        TargetStatus::Failed => "failed",
        TargetStatus::Unreachable => "unreachable",
        TargetStatus::RolledBack => "rolled back",
    }
}

/// One fleet run, target by target.
pub fn run_table(run: &FleetRun) -> String {
    let status = serde_json::to_value(run.status).expect("serializes");
    let mut out = format!(
        "Fleet run #{} ({}, phase {}, desired state {}): {}\n",
        run.id,
        if run.finished.is_some() {
            "finished"
        } else {
            "not finished"
        },
        run.phase,
        &run.desired_digest[..run.desired_digest.len().min(12)],
        status.as_str().unwrap_or("?")
    );
    for t in &run.targets {
        out.push_str(&format!(
            "  wave {:>2}  {:<12} {}{}{}\n",
            t.wave,
            status_word(t.status),
            t.name,
            t.migration
                .map(|m| format!(" (run #{m})"))
                .unwrap_or_default(),
            t.message
                .as_ref()
                .map(|m| format!(": {}", m.lines().next().unwrap_or("")))
                .unwrap_or_default()
        ));
    }
    out
}
