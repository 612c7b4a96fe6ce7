#!/usr/bin/env python3
"""Turn pg-schema-diff's acceptance cases (Go source, MIT) into directories of plain SQL.

Usage: extract_pgschemadiff.py REPO_GIT_DIR OUT_DIR

Each case becomes OUT_DIR/<file>__<nn>_<slug>/ with old.sql, new.sql and, when the case needs
them, roles.txt (roles to create first) and expect_error (the upstream case expects its planner
to refuse). The repository is read with `git show HEAD:…`; nothing of it is copied into ours.
"""
import os
import re
import subprocess
import sys

FIELD = re.compile(r"^\t\t(\w+):", re.M)


def git_show(repo, path):
    return subprocess.run(["git", "-C", repo, "show", f"HEAD:{path}"], check=True,
                          capture_output=True, text=True).stdout


def cases_of(src):
    """Yield (name, fields) where fields maps a field name to its raw Go text."""
    starts = [m.start() for m in re.finditer(r"^\t\{\n", src, re.M)]
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(src)
        block = src[start:end]
        marks = list(FIELD.finditer(block))
        fields = {}
        for j, m in enumerate(marks):
            stop = marks[j + 1].start() if j + 1 < len(marks) else len(block)
            fields[m.group(1)] = block[m.end():stop]
        if "name" in fields:
            yield fields


def strings(text):
    return [s for s in re.findall(r"`([^`]*)`|\"((?:[^\"\\\\]|\\\\.)*)\"", text)]


def ddl(text):
    if text is None or text.strip().startswith("nil"):
        return ""
    parts = []
    for raw, quoted in strings(text):
        parts.append(raw if raw else bytes(quoted, "utf-8").decode("unicode_escape"))
    return "\n".join(p.strip().rstrip(";") + ";" for p in parts if p.strip())


def slug(name):
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:60]


def main():
    repo, out = sys.argv[1], sys.argv[2]
    files = subprocess.run(["git", "-C", repo, "ls-tree", "--name-only", "HEAD",
                            "internal/migration_acceptance_tests/"], check=True,
                           capture_output=True, text=True).stdout.split()
    count = 0
    for path in sorted(f for f in files if f.endswith("_cases_test.go")):
        stem = os.path.basename(path)[: -len("_cases_test.go")]
        for n, fields in enumerate(cases_of(git_show(repo, path))):
            name = strings(fields["name"])[0][1]
            d = os.path.join(out, f"{stem}__{n:03d}_{slug(name)}")
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "name"), "w") as f:
                f.write(name + "\n")
            with open(os.path.join(d, "old.sql"), "w") as f:
                f.write(ddl(fields.get("oldSchemaDDL")) + "\n")
            with open(os.path.join(d, "new.sql"), "w") as f:
                f.write(ddl(fields.get("expectedDBSchemaDDL") or fields.get("newSchemaDDL")) + "\n")
            if "roles" in fields:
                with open(os.path.join(d, "roles.txt"), "w") as f:
                    f.write("\n".join(raw or quoted for raw, quoted in strings(fields["roles"])) + "\n")
            if "expectedPlanErrorIs" in fields or "expectedPlanErrorContains" in fields:
                open(os.path.join(d, "expect_error"), "w").close()
            count += 1
    print(f"{count} cases written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
