//! Text search dictionaries (`pg_ts_dict`) and configurations (`pg_ts_config` with their
//! `pg_ts_config_map` rows), in one query.

use std::collections::BTreeMap;

use super::builder::{Builder, PG_TS_CONFIG, PG_TS_DICT, not_extension_member};
use super::rows::opt_comment;
use super::session::{IntrospectError, Session};
use crate::model::*;
use crate::sqltext::tokenize::{Kind, tokenize};

impl Builder {
    /// Dictionaries and configurations of the managed schemas, extension members aside. A
    /// configuration's mapping is read whole (PostgreSQL does not record a `COPY`): token types
    /// by their parser's alias, dictionaries in order as `regdictionary` prints them. Templates
    /// and parsers are printed bare in `pg_catalog`, qualified elsewhere, like `regdictionary`.
    pub(super) fn text_search(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
    ) -> Result<(), IntrospectError> {
        let name_of = |schema: &str, name: &str| {
            format!(
                "CASE WHEN {schema} = 'pg_catalog' THEN pg_catalog.quote_ident({name})
                      ELSE pg_catalog.quote_ident({schema}) || '.' || pg_catalog.quote_ident({name})
                 END"
            )
        };
        let mapping = |column: &str| {
            format!(
                "ARRAY(SELECT {column} FROM pg_catalog.pg_ts_config_map m
                       JOIN pg_catalog.ts_token_type(c.cfgparser) tt ON tt.tokid = m.maptokentype
                       WHERE m.mapcfg = c.oid ORDER BY m.maptokentype, m.mapseqno)"
            )
        };
        let sql = format!(
            "SELECT 'd', d.oid, n.nspname::text, d.dictname::text, {template},
                    d.dictinitoption, NULL::text[], NULL::text[], ds.description
             FROM pg_catalog.pg_ts_dict d
             JOIN pg_catalog.pg_namespace n ON n.oid = d.dictnamespace
             JOIN pg_catalog.pg_ts_template t ON t.oid = d.dicttemplate
             JOIN pg_catalog.pg_namespace tn ON tn.oid = t.tmplnamespace
             LEFT JOIN pg_catalog.pg_description ds
               ON ds.objoid = d.oid AND ds.classoid = {PG_TS_DICT} AND ds.objsubid = 0
             WHERE n.nspname = ANY($1) AND {dict_member}
             UNION ALL
             SELECT 'c', c.oid, n.nspname::text, c.cfgname::text, {parser},
                    NULL, {tokens}, {dictionaries}, ds.description
             FROM pg_catalog.pg_ts_config c
             JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace
             JOIN pg_catalog.pg_ts_parser p ON p.oid = c.cfgparser
             JOIN pg_catalog.pg_namespace pn ON pn.oid = p.prsnamespace
             LEFT JOIN pg_catalog.pg_description ds
               ON ds.objoid = c.oid AND ds.classoid = {PG_TS_CONFIG} AND ds.objsubid = 0
             WHERE n.nspname = ANY($1) AND {config_member}",
            template = name_of("tn.nspname", "t.tmplname"),
            parser = name_of("pn.nspname", "p.prsname"),
            tokens = mapping("tt.alias"),
            dictionaries = mapping("m.mapdict::pg_catalog.regdictionary::text"),
            dict_member = not_extension_member(PG_TS_DICT, "d.oid"),
            config_member = not_extension_member(PG_TS_CONFIG, "c.oid"),
        );
        for row in s.rows("text search", &sql, &[&schemas])? {
            let row = row?;
            let name = QualName::new(row.get::<_, String>(2), row.get::<_, String>(3));
            let comment = opt_comment(&row, 8);
            if row.get::<_, String>(0) == "d" {
                self.ts_dictionaries.insert(row.get(1), name.clone());
                let options = row.get::<_, Option<String>>(5);
                let dictionary = TsDictionary {
                    template: row.get(4),
                    options: parse_init_options(options.as_deref().unwrap_or("")),
                    comment,
                };
                self.catalog
                    .text_search_dictionaries
                    .insert(name, dictionary);
            } else {
                self.ts_configurations.insert(row.get(1), name.clone());
                let tokens: Vec<String> = row.get(6);
                let dictionaries: Vec<String> = row.get(7);
                let mut mappings: BTreeMap<String, Vec<String>> = BTreeMap::new();
                for (token, dictionary) in tokens.into_iter().zip(dictionaries) {
                    mappings.entry(token).or_default().push(dictionary);
                }
                let configuration = TsConfiguration {
                    parser: row.get(4),
                    mappings,
                    comment,
                };
                self.catalog
                    .text_search_configurations
                    .insert(name, configuration);
            }
        }
        Ok(())
    }
}

/// `dictinitoption` as PostgreSQL writes it (`language = 'english', stopwords = 'english'`:
/// names quoted as identifiers where needed, values always string literals) as a map.
fn parse_init_options(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut key: Option<String> = None;
    for token in tokenize(text).iter().filter(|t| !t.is_trivia()) {
        match token.kind {
            Kind::Word | Kind::QuotedIdent if key.is_none() => key = Some(token.value(text)),
            Kind::String | Kind::Number | Kind::Word => {
                if let Some(k) = key.take() {
                    out.insert(k, token.value(text));
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::parse_init_options;

    #[test]
    fn init_options_are_read_as_postgresql_writes_them() {
        let options = parse_init_options(
            "language = 'english', \"StopWords\" = E'it''s\\\\x', accept = 'false'",
        );
        let pairs: Vec<(&str, &str)> = options
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("StopWords", "it's\\x"),
                ("accept", "false"),
                ("language", "english")
            ]
        );
    }
}
