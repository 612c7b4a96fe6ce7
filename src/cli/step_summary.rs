//! GitHub Actions' job summary: inside a workflow (`GITHUB_ACTIONS=true`), the markdown plan is
//! appended to the file `GITHUB_STEP_SUMMARY` names, so the run's page shows what was planned.

use schemaplan::error::Error;

/// Appends `markdown` to `$GITHUB_STEP_SUMMARY` inside GitHub Actions; does nothing elsewhere.
pub fn write_step_summary(markdown: &str) -> Result<(), Error> {
    if !super::annotations::inside_github_actions() {
        return Ok(());
    }
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    use std::io::Write;
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| writeln!(f, "{markdown}"));
    written.map_err(|source| Error::Write {
        path: std::path::Path::new(&path).display().to_string(),
        source,
    })
}
