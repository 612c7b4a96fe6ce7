//! Schemas and extensions: what each extension provides and the versions it can move to.

use super::builder::Builder;
use super::rows::opt_comment;
use super::session::{IntrospectError, Session};
use crate::model::*;

impl Builder {
    /// The managed schemas, with their comments.
    pub(super) fn schemas(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
    ) -> Result<(), IntrospectError> {
        let rows = s.query(
            "schemas",
            "SELECT n.oid, n.nspname::text, d.description
             FROM pg_catalog.pg_namespace n
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = n.oid AND d.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
             WHERE n.nspname = ANY($1)",
            &[&schemas],
        )?;
        for row in rows {
            let name: String = row.get(1);
            self.namespaces.insert(row.get(0), name.clone());
            self.catalog.schemas.insert(
                name,
                Schema {
                    comment: opt_comment(&row, 2),
                    ..Schema::default()
                },
            );
        }
        Ok(())
    }

    /// Every installed extension, wherever it is: the desired state may name one that lives
    /// outside the managed schemas. Only those in managed schemas are ever dropped.
    pub(super) fn extensions(&mut self, s: &mut Session<'_>) -> Result<(), IntrospectError> {
        let rows = s.query(
            "extensions",
            "SELECT e.oid, e.extname::text, n.nspname::text, e.extversion
             FROM pg_catalog.pg_extension e
             JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace",
            &[],
        )?;
        for row in rows {
            let name: String = row.get(1);
            self.extensions.insert(row.get(0), name.clone());
            self.catalog.extensions.insert(
                name,
                Extension {
                    schema: Some(row.get(2)),
                    version: Some(row.get(3)),
                },
            );
        }
        Ok(())
    }

    /// What each managed extension provides that printed SQL names with its schema.
    pub(super) fn extension_members(&mut self, s: &mut Session<'_>) -> Result<(), IntrospectError> {
        let rows = s.query(
            "extension members",
            "SELECT d.refobjid, COALESCE(t.typname, p.proname, o.oprname, c.opcname)::text
             FROM pg_catalog.pg_depend d
             LEFT JOIN pg_catalog.pg_type t ON d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
                  AND t.oid = d.objid AND t.typelem = 0
             LEFT JOIN pg_catalog.pg_proc p ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                  AND p.oid = d.objid
             LEFT JOIN pg_catalog.pg_operator o ON d.classid = 'pg_catalog.pg_operator'::pg_catalog.regclass
                  AND o.oid = d.objid
             LEFT JOIN pg_catalog.pg_opclass c ON d.classid = 'pg_catalog.pg_opclass'::pg_catalog.regclass
                  AND c.oid = d.objid
             WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.deptype = 'e'",
            &[],
        )?;
        for row in rows {
            let (Some(ext), Some(name)) = (
                self.extensions.get(&row.get::<_, u32>(0)),
                row.get::<_, Option<String>>(1),
            ) else {
                continue;
            };
            self.catalog
                .extension_members
                .entry(ext.clone())
                .or_default()
                .insert(name);
        }
        Ok(())
    }

    /// The versions each installed extension can be updated to, by a chain of its scripts.
    pub(super) fn extension_updates(&mut self, s: &mut Session<'_>) -> Result<(), IntrospectError> {
        let rows = s.query(
            "extension updates",
            "SELECT e.extname::text, p.target
             FROM pg_catalog.pg_extension e
             CROSS JOIN LATERAL pg_catalog.pg_extension_update_paths(e.extname) p
             WHERE p.source = e.extversion AND p.path IS NOT NULL",
            &[],
        )?;
        for row in rows {
            self.catalog
                .extension_updates
                .entry(row.get(0))
                .or_default()
                .insert(row.get(1));
        }
        Ok(())
    }
}
