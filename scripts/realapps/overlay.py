#!/usr/bin/env python3
"""Adds an upgrade's hints (build_corpus.py's hints/<release>.json) to the desired state that
`inspect` wrote of the newer release, as a team writing the YAML for that upgrade would: a
column's `renamed_from` where the older release has the old name and not yet the new one, and
its `using` where the column is in both releases. Other hints are left out, saying so.

Usage: overlay.py DESIRED.yaml OLDER.yaml HINTS.json > HINTED.yaml   (needs PyYAML)
"""
import json
import sys

import yaml


def columns(doc, schema, table):
    t = (((doc or {}).get("schemas") or {}).get(schema) or {}).get("tables") or {}
    return (t.get(table) or {}).get("columns")


def column_map(cols, name):
    """The column's long form, made from its short form (`name: type`) where need be."""
    c = cols[name]
    if not isinstance(c, dict):
        c = cols[name] = {"type": c}
    return c


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    desired = yaml.safe_load(open(sys.argv[1]))
    older = yaml.safe_load(open(sys.argv[2]))
    hints = json.load(open(sys.argv[3]))
    for schema, table, column, old in hints["renamed_from"]:
        new_cols, old_cols = columns(desired, schema, table), columns(older, schema, table) or {}
        if new_cols and column in new_cols and old in old_cols and column not in old_cols:
            column_map(new_cols, column)["renamed_from"] = old
            print(f"hint: {schema}.{table}.{column} renamed_from {old}", file=sys.stderr)
        else:
            print(f"hint left out: {schema}.{table}.{column} renamed_from {old} "
                  "(not a rename between these releases)", file=sys.stderr)
    for schema, table, column, expr in hints["using"]:
        new_cols, old_cols = columns(desired, schema, table), columns(older, schema, table) or {}
        if new_cols and column in new_cols and column in old_cols:
            column_map(new_cols, column)["using"] = expr
            print(f"hint: {schema}.{table}.{column} using {expr}", file=sys.stderr)
        else:
            print(f"hint left out: {schema}.{table}.{column} using (not in both releases)",
                  file=sys.stderr)
    yaml.safe_dump(desired, sys.stdout, sort_keys=False, allow_unicode=True, width=100)


if __name__ == "__main__":
    main()
