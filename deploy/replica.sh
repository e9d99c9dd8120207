#!/usr/bin/env bash
# One Clearpath replica: the container image's ENTRYPOINT (Dockerfile) and what deploy/fleet.sh
# runs for each replica of the fleet on this machine, so what the fleet tests run is what ships.
#
#   replica.sh serve        serve on CLEARPATH_HOST:CLEARPATH_PORT (the default)
#   replica.sh prepare      build the index and the guard model once, before any replica starts
#   replica.sh migrate      bring the shared database to the newest migration (Alembic)
#   replica.sh healthcheck  exit 0 when this replica answers /readyz (the image's HEALTHCHECK)
#   replica.sh ARGS...      any other `clearpath` command
#
# Settings come from CLEARPATH_* variables (README, "Settings"). Replicas share one built index
# (CLEARPATH_DATA_DIR) and never write to it while serving: `prepare` writes it first.
set -euo pipefail
CLEARPATH=${CLEARPATH_BIN:-clearpath}
PYTHON=${CLEARPATH_PYTHON:-python3}

case "${1:-serve}" in
    serve)
        exec "$CLEARPATH" serve ;;
    prepare)
        "$CLEARPATH" index status > /dev/null 2>&1 || "$CLEARPATH" index build
        # Loading the pipeline once trains and caches the guard model if it is missing, so
        # replicas starting together never write to the shared data directory.
        "$CLEARPATH" ask "What is kratom?" > /dev/null ;;
    migrate)
        exec "$CLEARPATH" db upgrade ;;
    healthcheck)
        exec "$PYTHON" - <<'PY'
import os, sys, urllib.request
port = os.environ.get("CLEARPATH_PORT", "8000")
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=3) as response:
        sys.exit(0 if response.status == 200 else 1)
except OSError:
    sys.exit(1)
PY
        ;;
    *)
        exec "$CLEARPATH" "$@" ;;
esac
