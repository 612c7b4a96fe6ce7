-- oryx/networkx/migrations/sql/20150100000001000000_networks.postgres.up.sql (v26.2.0)
CREATE TABLE "networks" (
"id" UUID NOT NULL,
PRIMARY KEY("id"),
"created_at" timestamp NOT NULL,
"updated_at" timestamp NOT NULL
);
;

-- internal/persistence/sql/migrations/sql/20201110175414000000_relationtuple.postgres.up.sql (v0.7.0-alpha.1)
CREATE TABLE keto_namespace
(
    id             INTEGER PRIMARY KEY,
    schema_version INTEGER NOT NULL
);
;

-- internal/persistence/sql/migrations/sql/20201110175414000001_relationtuple.postgres.up.sql (v0.7.0-alpha.1)

;

-- internal/persistence/sql/migrations/sql/20210623162417000000_relationtuple.postgres.up.sql (v0.7.0-alpha.1)
-- we can not fizz this migration because there is no check constraint support in fizz
-- and it gets cumbersome with sqlite; having a working SQL version is actually way easier
CREATE TABLE keto_relation_tuples
(
    shard_id                 UUID        NOT NULL,
    nid                      UUID        NOT NULL,
    namespace_id             INTEGER     NOT NULL,
    object                   VARCHAR(64) NOT NULL,
    relation                 VARCHAR(64) NOT NULL,
    subject_id               VARCHAR(64) NULL,
    subject_set_namespace_id INTEGER NULL,
    subject_set_object       VARCHAR(64) NULL,
    subject_set_relation     VARCHAR(64) NULL,
    commit_time              TIMESTAMP   NOT NULL,

    PRIMARY KEY (shard_id, nid),

    -- enforce to have exactly one of subject_id or subject_set
    CONSTRAINT chk_keto_rt_subject_type CHECK
        ((subject_id IS NULL AND
          subject_set_namespace_id IS NOT NULL AND subject_set_object IS NOT NULL AND subject_set_relation IS NOT NULL)
            OR
         (subject_id IS NOT NULL AND
          subject_set_namespace_id IS NULL AND subject_set_object IS NULL AND subject_set_relation IS NULL))
);
;

-- internal/persistence/sql/migrations/sql/20210623162417000001_relationtuple.postgres.up.sql (v0.7.0-alpha.1)

CREATE INDEX keto_relation_tuples_subject_ids_idx ON keto_relation_tuples (nid,
                                                                           namespace_id,
                                                                           object,
                                                                           relation,
                                                                           subject_id) WHERE subject_set_namespace_id IS NULL AND subject_set_object IS NULL AND subject_set_relation IS NULL;
;

-- internal/persistence/sql/migrations/sql/20210623162417000002_relationtuple.postgres.up.sql (v0.7.0-alpha.1)

CREATE INDEX keto_relation_tuples_subject_sets_idx ON keto_relation_tuples (nid,
                                                                            namespace_id,
                                                                            object,
                                                                            relation,
                                                                            subject_set_namespace_id,
                                                                            subject_set_object,
                                                                            subject_set_relation) WHERE subject_id IS NULL;
;

-- internal/persistence/sql/migrations/sql/20210623162417000003_relationtuple.postgres.up.sql (v0.7.0-alpha.1)

CREATE INDEX keto_relation_tuples_full_idx ON keto_relation_tuples (nid,
                                                                    namespace_id,
                                                                    object,
                                                                    relation,
                                                                    subject_id,
                                                                    subject_set_namespace_id,
                                                                    subject_set_object,
                                                                    subject_set_relation,
                                                                    commit_time);
;

-- internal/persistence/sql/migrations/sql/20210914134624000000_legacy-cleanup.postgres.up.sql (v0.7.0-alpha.1)
DROP TABLE "keto_namespace";
;
