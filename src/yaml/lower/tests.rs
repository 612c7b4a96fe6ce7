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
