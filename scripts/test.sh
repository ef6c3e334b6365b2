#!/usr/bin/env bash
# The README's test command: runs every test with `mvn -B install` against a throwaway PostgreSQL
# (scripts/with-postgres.sh starts it and deletes it at the end), the PostgreSQL tests included and
# required (they fail, not skip, without it); the libraries go to the local Maven repository, for
# a host's own build over the BOM (examples/host-project) to run the embedding example. The real-client tests of examples/mender-server are
# required too: they need Debian's mender-client and mender-artifact and root (to bind-mount the
# client's fixed paths in a private mount namespace), and so are the dashboard's browser tests
# (Debian's chromium and chromium-driver). Needs the PostgreSQL 15 server binaries (Debian:
# postgresql-15); .ci/run installs all of these.
set -euo pipefail
cd "$(dirname "$0")/.."

export UPDRAFT_POSTGRES_REQUIRED=true
export UPDRAFT_MENDER_REQUIRED=true
export UPDRAFT_BROWSER_REQUIRED=true
bash scripts/with-postgres.sh mvn -B install "$@"
# A host's own build over the BOM, from the local repository the libraries were just installed to:
# its test runs the README's embedding example.
mvn -B -f examples/host-project/pom.xml verify
