#!/usr/bin/env bash
# Scale benchmark: `inspect` and no-op `plan` on synthetic schemas (default 1,000 and 10,000
# tables), their catalog query counts, and `pg_dump --schema-only` on the same databases.
# Usage: scripts/bench.sh [SIZE...]
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo bench --bench scale -- "$@"
