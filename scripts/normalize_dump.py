"""pg_dump --schema-only output, normalised for comparison: comments, settings and blank lines
dropped, and the columns of each CREATE TABLE sorted (column order aside). Reads stdin, writes
stdout. The Rust test harness applies the same rules (tests/harness.rs, normalize_dump)."""
import sys

out, body = [], None
for line in sys.stdin.read().splitlines():
    if (line.startswith(("--", "SET ", "SELECT pg_catalog.set_config", "\\restrict", "\\unrestrict"))
            or not line.strip()):
        continue
    if body is not None:
        if line.startswith(")"):
            out.extend(sorted(body))
            out.append(line)
            body = None
        else:
            body.append(line.rstrip(","))
        continue
    out.append(line)
    if line.startswith("CREATE TABLE ") and line.endswith("("):
        body = []
print("\n".join(out))
