use super::constraints::is_operator;
use super::lowerer::suggestion;
use super::tables::COLUMN_KEYS;

#[test]
fn operators_are_symbols_or_qualified() {
    for op in [
        "=",
        "&&",
        "<>",
        "-|-",
        "OPERATOR(public.&&)",
        "operator(pg_catalog.=)",
    ] {
        assert!(is_operator(op), "{op}");
    }
    for op in [
        "WITH",
        "= ) ; DROP TABLE t",
        "OPERATOR()",
        "OPERATOR(a) ; x",
        "é",
    ] {
        assert!(!is_operator(op), "{op}");
    }
}

#[test]
fn suggestions_pick_close_words() {
    assert_eq!(suggestion("not_nul", COLUMN_KEYS), Some("not_null"));
    assert_eq!(suggestion("defualt", COLUMN_KEYS), Some("default"));
    assert_eq!(suggestion("zzzzzz", COLUMN_KEYS), None);
}

/// `inspect` writes `finalfunc_modify: read_write` (PostgreSQL's word, lowercased); the loader
/// must read back what it writes, in any case and with `_`, `-` or a space.
#[test]
fn final_function_modify_reads_the_words_inspect_writes() {
    use crate::model::FinalModify;
    for (word, expected) in [
        ("read_only", FinalModify::ReadOnly),
        ("READ_WRITE", FinalModify::ReadWrite),
        ("read write", FinalModify::ReadWrite),
        ("shareable", FinalModify::Shareable),
    ] {
        let text = format!(
            "schemas:\n  public:\n    aggregates:\n      total(integer):\n        sfunc: int4pl\n        stype: integer\n        finalfunc_modify: {word}\n        mfinalfunc_modify: {word}\n"
        );
        let desired = crate::yaml::load_sources(&[("t.yaml".into(), text)])
            .unwrap_or_else(|e| panic!("{word}: {e}"));
        let aggregate = desired.catalog.aggregates.values().next().unwrap();
        assert_eq!(aggregate.finalfunc_modify, Some(expected), "{word}");
        assert_eq!(aggregate.mfinalfunc_modify, Some(expected), "{word}");
    }
}
