#!/usr/bin/env python3
"""Builds the real-application corpus: one SQL file per release of each application, read with
git from a mirror of its repository (the `fetch` tool's layout, MIRROR/<owner>+<name>/repo).

A release's schema is the application's own schema file at that tag, or its migrations up to
that tag concatenated in the order the application's migration tool applies them, so that psql
loading the file into an empty database gives the release's schema. Nothing is rewritten beyond
what the application's tool does itself (a template variable, a schema created beforehand).

Usage: build_corpus.py MIRROR OUT [APP ...]
Writes OUT/<app>/<release>.sql, OUT/<app>/releases (oldest first), OUT/<app>/LICENSE and
OUT/<app>/SOURCE.md for every app named, and OUT/<app>/hints/<release>.json where the migrations
new in a release rename columns or convert their data (see `upgrade_hints`)
(all when none), and prints `app release...` lines (releases oldest first). An app whose mirror
is absent is skipped with a message on stderr.
"""
import json
import os
import re
import subprocess
import sys

# Ory's popx: one migration per version and name, the PostgreSQL variant (`.postgres.up.sql`)
# when there is one, else the dialect-free `.up.sql`; applied by version. The `networks` table
# every Ory schema references comes from ory/x's networkx migrations, a Go dependency at the
# older tags and vendored under oryx/ at the newest; its one migration has not changed, so it is
# taken from the newest tag of the same repository.
POPX_DIALECTS = ("mysql", "cockroach", "sqlite3", "sqlite")
NETWORKX = "oryx/networkx/migrations/sql"

APPS = {
    "temporal": {
        "repo": "temporalio/temporal",
        "licence": "MIT",
        "kind": "files",
        "paths": [
            "schema/postgresql/v12/temporal/schema.sql",
            "schema/postgresql/v12/visibility/schema.sql",
        ],
        "tags": ["v1.27.0", "v1.29.0", "v1.31.0"],
        "how": "the main and the visibility schema files at each tag, one after the other",
    },
    "keto": {
        "repo": "ory/keto",
        "licence": "Apache-2.0",
        "kind": "popx",
        "paths": ["internal/persistence/sql/migrations/sql"],
        "tags": [
            "v0.7.0-alpha.1",
            "v0.8.0-alpha.2",
            "v0.9.0-alpha.0",
            "v0.10.0-alpha.0",
            "v0.11.1-alpha.0",
        ],
        "networkx_from": "v26.2.0",
        "how": "popx migrations (PostgreSQL variant where there is one) by version, "
        "with networkx's (oryx/networkx/migrations/sql at v26.2.0)",
    },
    "supabase-auth": {
        "repo": "supabase/auth",
        "licence": "MIT",
        "kind": "migrations",
        "paths": ["migrations"],
        "tags": ["v2.180.0", "v2.190.0", "v2.196.0"],
        # hack/init_postgres.sql: the schema exists, and the migrating role's search_path is auth.
        "preamble": "CREATE SCHEMA auth;\nSET search_path = auth;\n",
        "template": (re.compile(r'\{\{\s*index \.Options "Namespace"\s*\}\}'), "auth"),
        "how": "migrations/*.up.sql by file name, the Namespace template variable set to auth, "
        "the auth schema created first and search_path set to it (as hack/init_postgres.sql does)",
    },
    "hydra": {
        "repo": "ory/hydra",
        "licence": "Apache-2.0",
        "kind": "popx",
        "paths": ["persistence/sql/migrations"],
        "tags": ["v1.11.10", "v2.0.0", "v2.1.0", "v2.2.0", "v2.3.0", "v25.4.0", "v26.2.0"],
        "how": "popx migrations (PostgreSQL variant where there is one) by version (the networks "
        "table is among them)",
    },
    "kratos": {
        "repo": "ory/kratos",
        "licence": "Apache-2.0",
        "kind": "popx",
        "paths": ["persistence/sql/migrations/sql"],
        "tags": ["v0.11.1", "v0.13.0", "v1.0.0", "v1.1.0", "v1.2.0", "v25.4.0", "v26.2.0"],
        "networkx_from": "v26.2.0",
        "how": "popx migrations (PostgreSQL variant where there is one) by version, "
        "with networkx's (oryx/networkx/migrations/sql at v26.2.0)",
    },
    "harbor": {
        "repo": "goharbor/harbor",
        "licence": "Apache-2.0",
        "kind": "migrations",
        "paths": ["make/migrations/postgresql"],
        "tags": ["v2.8.0", "v2.10.0", "v2.12.0", "v2.13.0", "v2.14.0", "v2.15.0"],
        # golang-migrate creates its table before the first migration; later ones update it.
        "preamble": "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, "
        "dirty boolean NOT NULL);\n",
        "how": "make/migrations/postgresql/*.up.sql by file name, after golang-migrate's own "
        "schema_migrations table",
    },
    # AGPL-3.0: generated into a scratch directory at bench time only, never committed.
    "listmonk": {
        "repo": "knadh/listmonk",
        "licence": "AGPL-3.0",
        "kind": "files",
        "paths": ["schema.sql"],
        "tags": ["v3.0.0", "v4.1.0", "v5.1.0", "v6.2.0"],
        "how": "schema.sql, the fresh-install schema, at each tag",
    },
    "lemmy": {
        "repo": "LemmyNet/lemmy",
        "licence": "AGPL-3.0",
        "kind": "diesel",
        "paths": ["migrations"],
        # schema_setup.rs: after the migrations, the replaceable schema `r` is created anew from
        # these files (0.19.4 on).
        "after": [
            "crates/db_schema/replaceable_schema/utils.sql",
            "crates/db_schema/replaceable_schema/triggers.sql",
        ],
        "tags": ["0.17.4", "0.18.0", "0.19.3", "0.19.8", "0.19.20"],
        "how": "migrations/*/up.sql by directory name (diesel), then schema r from "
        "crates/db_schema/replaceable_schema/*.sql where the tag has them (schema_setup.rs)",
    },
}
COMMITTABLE = ("MIT", "Apache-2.0")


def git(repo_dir, *args):
    return subprocess.run(["git", "-C", repo_dir, *args], check=True, capture_output=True).stdout


def ls(repo_dir, tag, path):
    out = git(repo_dir, "ls-tree", "--name-only", f"{tag}:{path}").decode()
    return [f"{path}/{name}" for name in out.split("\n") if name]


def show(repo_dir, tag, path):
    return git(repo_dir, "show", f"{tag}:{path}").decode()


def popx_files(names):
    """The files popx applies for PostgreSQL, in its order: (version, name) once each."""
    chosen = {}
    for path in names:
        m = re.match(r"^(\d+)_([^.]+)((?:\.\w+)*)\.up\.sql$", os.path.basename(path))
        if not m:
            continue
        version, name, flags = m.groups()
        flags = set(flags.split(".")[1:])  # a dialect and/or `autocommit`
        if flags & set(POPX_DIALECTS):
            continue
        key = (int(version), name)
        if "postgres" in flags or key not in chosen:
            chosen[key] = path
    return [chosen[k] for k in sorted(chosen)]


def release_sql(repo_dir, app, tag):
    kind, paths = app["kind"], app["paths"]
    parts = [app.get("preamble", "")]
    if kind == "files":
        files = [(tag, p) for p in paths]
    elif kind == "migrations":
        files = [(tag, p) for p in sorted(ls(repo_dir, tag, paths[0])) if p.endswith(".up.sql")]
    elif kind == "diesel":
        ups = git(repo_dir, "ls-tree", "-r", "--name-only", tag, paths[0]).decode().split()
        files = [(tag, p) for p in sorted(ups) if p.endswith("/up.sql")]
        present = git(repo_dir, "ls-tree", "-r", "--name-only", tag, *app["after"]).decode().split()
        if present:
            parts.append("CREATE SCHEMA r;\n")
        files += [(tag, p) for p in app["after"] if p in present]
    else:
        names = [(tag, p) for p in ls(repo_dir, tag, paths[0])]
        if "networkx_from" in app:
            at = app["networkx_from"]
            names += [(at, p) for p in ls(repo_dir, at, NETWORKX)]
        origin = dict((p, t) for t, p in names)
        files = [(origin[p], p) for p in popx_files([p for _, p in names])]
    for at, path in files:
        text = show(repo_dir, at, path)
        if "template" in app:
            pattern, value = app["template"]
            text = pattern.sub(value, text)
        # The app's tool runs each file on its own: a last statement without `;` ends there.
        parts.append(f"-- {path} ({at})\n{text.rstrip()}\n;\n")
    return "\n".join(p for p in parts if p), files


IDENT = r'(?:"[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)'
QUAL = rf"({IDENT}(?:\s*\.\s*{IDENT})?)"
TABLE = rf"ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?{QUAL}\s+"
RENAME_COLUMN = re.compile(
    TABLE + rf"RENAME\s+(?:COLUMN\s+)?(?!TO\b|CONSTRAINT\b)({IDENT})\s+TO\s+({IDENT})\s*;",
    re.IGNORECASE,
)
CONVERT_COLUMN = re.compile(
    TABLE + rf"ALTER\s+(?:COLUMN\s+)?({IDENT})\s+(?:SET\s+DATA\s+)?TYPE\s+[^;]*?\s+USING\s+([^;]+);",
    re.IGNORECASE | re.DOTALL,
)


def ident(text):
    text = text.strip()
    return text[1:-1] if text.startswith('"') else text.lower()


def table_of(text):
    parts = [ident(p) for p in re.split(r"\s*\.\s*", text.strip())]
    return ("public", parts[0]) if len(parts) == 1 else (parts[0], parts[1])


def upgrade_hints(sql):
    """What an inspected desired state cannot know about an upgrade, and a team writing the YAML
    for it says (README: Renames, and a column's `using`): the columns the release's new
    migrations rename (`renamed_from`) and the conversions they give for a column's new type
    (`using`), read from their `ALTER TABLE … RENAME [COLUMN] a TO b` and `ALTER TABLE … ALTER
    [COLUMN] c TYPE … USING expr` statements. A column renamed twice keeps its first name."""
    sql = re.sub(r"--[^\n]*", "", sql)
    renames, using = {}, {}
    for m in RENAME_COLUMN.finditer(sql):
        schema, table = table_of(m.group(1))
        old, new = ident(m.group(2)), ident(m.group(3))
        first = renames.pop((schema, table, old), old)
        renames[(schema, table, new)] = first
    for m in CONVERT_COLUMN.finditer(sql):
        schema, table = table_of(m.group(1))
        using[(schema, table, ident(m.group(2)))] = " ".join(m.group(3).split())
    return {
        "renamed_from": [list(k) + [v] for k, v in sorted(renames.items())],
        "using": [list(k) + [v] for k, v in sorted(using.items())],
    }


def build(mirror, out, name):
    app = APPS[name]
    repo_dir = os.path.join(mirror, app["repo"].replace("/", "+"), "repo")
    if not os.path.isdir(repo_dir):
        print(f"skipped {name}: no mirror of {app['repo']} in {repo_dir}", file=sys.stderr)
        return None
    committed = os.path.realpath(os.path.join(os.path.dirname(__file__), "../../tests/realapps"))
    if app["licence"] not in COMMITTABLE and os.path.realpath(out) == committed:
        sys.exit(f"{name} is {app['licence']}: its SQL is never written into the repository")
    target = os.path.join(out, name)
    os.makedirs(target, exist_ok=True)
    newest = app["tags"][-1]
    with open(os.path.join(target, "LICENSE"), "w") as f:
        f.write(show(repo_dir, newest, "LICENSE"))
    rows = []
    before = None
    for tag in app["tags"]:
        sql, files = release_sql(repo_dir, app, tag)
        with open(os.path.join(target, f"{tag}.sql"), "w") as f:
            f.write(sql)
        if before is not None:
            new = [show(repo_dir, at, p) for at, p in files if p not in before]
            hints = upgrade_hints("\n;\n".join(new))
            if hints["renamed_from"] or hints["using"]:
                os.makedirs(os.path.join(target, "hints"), exist_ok=True)
                with open(os.path.join(target, "hints", f"{tag}.json"), "w") as f:
                    json.dump(hints, f, indent=1, sort_keys=True)
                    f.write("\n")
        before = {p for _, p in files}
        commit = git(repo_dir, "rev-list", "-n", "1", tag).decode().strip()
        rows.append(f"| {tag} | {commit} | {len(files)} | {len(sql)} |")
    with open(os.path.join(target, "releases"), "w") as f:
        f.write("".join(f"{tag}\n" for tag in app["tags"]))
    with open(os.path.join(target, "SOURCE.md"), "w") as f:
        f.write(
            f"# {name}\n\nRepository: https://github.com/{app['repo']} ({app['licence']}, "
            f"LICENSE copied from {newest}).\nPaths: {', '.join(app['paths'])}.\n"
            f"A release's SQL: {app['how']}.\nGenerated by scripts/realapps/build_corpus.py.\n\n"
            "| tag | commit | files | bytes |\n|---|---|---|---|\n" + "\n".join(rows) + "\n"
        )
    return app["tags"]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    mirror, out, names = sys.argv[1], sys.argv[2], sys.argv[3:] or list(APPS)
    for name in names:
        if name not in APPS:
            sys.exit(f"unknown app {name}; known: {', '.join(APPS)}")
        tags = build(mirror, out, name)
        if tags:
            print(name, *tags)


if __name__ == "__main__":
    main()
