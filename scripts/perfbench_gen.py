#!/usr/bin/env python3
"""The synthetic schema of scripts/perfbench.sh, as one SQL script on standard output.

Usage: scripts/perfbench_gen.py TABLES

TABLES tables t00001… of 13 columns of the usual types, each with a primary key, a foreign key
to the table before it, a CHECK, three indexes (unique, multi-column, and a partial or an
expression one in turn) and, for every tenth table, a view joining it to the table before it.
Nothing is random: two runs with the same TABLES give the same schema, so figures compare.
"""

import sys


def table(i: int) -> str:
    name = f"t{i:05d}"
    # The first table has nothing before it to point at; its parent_id stays a plain column so
    # that every table has the same 13 columns.
    fk = f",\n    CONSTRAINT {name}_parent_fk FOREIGN KEY (parent_id) REFERENCES t{i - 1:05d} (id)" if i > 1 else ""
    # Alternating keeps both kinds of third index about as common as in real schemas.
    third = (
        f"CREATE INDEX {name}_active_name_idx ON {name} (name) WHERE active;"
        if i % 2
        else f"CREATE INDEX {name}_lower_name_idx ON {name} (lower(name));"
    )
    return f"""CREATE TABLE {name} (
    id bigint NOT NULL,
    parent_id bigint,
    name text NOT NULL,
    code varchar(32) NOT NULL,
    quantity integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz,
    active boolean NOT NULL DEFAULT false,
    amount numeric(12,2),
    payload jsonb NOT NULL DEFAULT '{{}}'::jsonb,
    ratio double precision,
    due_on date,
    token uuid,
    CONSTRAINT {name}_pkey PRIMARY KEY (id),
    CONSTRAINT {name}_quantity_check CHECK (quantity >= 0 AND quantity < 1000000){fk}
);
CREATE UNIQUE INDEX {name}_code_key ON {name} (code);
CREATE INDEX {name}_parent_created_idx ON {name} (parent_id, created_at);
{third}
"""


def view(i: int) -> str:
    return f"""CREATE VIEW v{i:05d} AS
 SELECT c.id, c.name, c.amount, p.code AS parent_code, p.created_at AS parent_created_at
   FROM t{i:05d} c
   JOIN t{i - 1:05d} p ON p.id = c.parent_id
  WHERE c.active;
"""


def main() -> None:
    if len(sys.argv) != 2 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 2:
        sys.exit("usage: perfbench_gen.py TABLES (2 or more)")
    tables = int(sys.argv[1])
    out = sys.stdout
    for i in range(1, tables + 1):
        out.write(table(i))
        if i % 10 == 0:
            out.write(view(i))


if __name__ == "__main__":
    main()
