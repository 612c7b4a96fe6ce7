//! Settling every expression of the normalised model on a form that `apply` reproduces exactly.

use super::unit::{Unit, unit_object, units};
use crate::model::*;

/// Makes every expression of `normalized` one that `apply` reproduces exactly.
///
/// For each expression whose YAML text differs from what PostgreSQL printed:
/// 1. if the YAML text is itself a printed form that a known rewrite reproduces (text written by
///    `inspect`), that form is what the user asked for and is kept;
/// 2. if the printed form parses back to itself, it is used as is;
/// 3. if a rewrite of the printed form parses back to it, the rewrite becomes the source;
/// 4. otherwise the plan settles on the form PostgreSQL converges to, with a warning.
pub fn stabilize(
    client: &mut postgres::Client,
    raw: &Catalog,
    normalized: &mut Catalog,
) -> Vec<crate::model::warning::Warning> {
    let mut warnings = Vec::new();
    for unit in units(raw, normalized) {
        let Some(raw_texts) = unit
            .slots(raw)
            .map(|s| s.iter().map(|e| e.text.clone()).collect::<Vec<_>>())
        else {
            continue;
        };
        let Some(printed) = unit
            .slots(normalized)
            .map(|s| s.iter().map(|e| e.text.clone()).collect::<Vec<_>>())
        else {
            continue;
        };
        let Some((texts, sources)) =
            decide(client, &unit, normalized, raw_texts, printed, &mut warnings)
        else {
            continue;
        };
        for (i, e) in unit.slots_mut(normalized).into_iter().enumerate() {
            e.source = sources
                .as_ref()
                .map(|s| s[i].clone())
                .filter(|s| *s != texts[i]);
            e.text = texts[i].clone();
        }
    }
    warnings
}

/// The texts a unit should compare as, and the sources that produce them (`None`: the printed
/// form already parses back to itself, or nothing better was found).
type Decision = (Vec<String>, Option<Vec<String>>);

/// Decides what a unit's expressions compare as, by probing candidate texts on the shadow
/// database (see `stabilize` for the order in which they are tried).
fn decide(
    client: &mut postgres::Client,
    unit: &Unit,
    model: &Catalog,
    raw: Vec<String>,
    printed: Vec<String>,
    warnings: &mut Vec<crate::model::warning::Warning>,
) -> Option<Decision> {
    let rewrite = |texts: &[String]| -> Option<Vec<String>> {
        let mut any = false;
        let out = texts
            .iter()
            .map(|t| match crate::sqltext::reprint::pin_array_casts(t) {
                Some(r) => {
                    any = true;
                    r
                }
                None => t.clone(),
            })
            .collect();
        any.then_some(out)
    };
    if let Some(candidate) = rewrite(&raw) {
        if unit.probe(client, model, &candidate).as_ref() == Some(&raw) {
            return Some((raw, Some(candidate)));
        }
    }
    let again = unit.probe(client, model, &printed);
    if again.as_ref() == Some(&printed) {
        return None;
    }
    if let Some(candidate) = rewrite(&printed) {
        if unit.probe(client, model, &candidate).as_ref() == Some(&printed) {
            return Some((printed, Some(candidate)));
        }
    }
    let converged = again?;
    if unit.probe(client, model, &converged).as_ref() != Some(&converged) {
        return None;
    }
    warnings.push(crate::model::warning::Warning {
        object: unit_object(unit),
        message: format!(
            "PostgreSQL prints this as text that does not parse back to itself; the database will hold the equivalent form `{}`",
            converged.join("`, `")
        ),
    });
    Some((converged, None))
}
