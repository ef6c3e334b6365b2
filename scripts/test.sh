#!/usr/bin/env bash
# The README's test command: runs every test with `mvn -B verify` against a throwaway PostgreSQL
# (scripts/with-postgres.sh starts it and deletes it at the end), the PostgreSQL tests included and
# required (they fail, not skip, without it). The real-client tests of examples/mender-server are
# required too: they need Debian's mender-client and mender-artifact and root (to bind-mount the
# client's fixed paths in a private mount namespace). Needs the PostgreSQL 15 server binaries
# (Debian: postgresql-15); .ci/run installs all of these.
set -euo pipefail
cd "$(dirname "$0")/.."

export UPDRAFT_POSTGRES_REQUIRED=true
export UPDRAFT_MENDER_REQUIRED=true
bash scripts/with-postgres.sh mvn -B verify "$@"
