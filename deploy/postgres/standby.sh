#!/bin/bash
# docker-compose.yml, service `db-replica`: on first start, a base backup of the primary `db`
# (pg_basebackup -R writes the standby's connection settings), then PostgreSQL as a hot standby.
# The same steps as scripts/cluster.sh's standby.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_basebackup -h db -U replicator -D "$PGDATA" -R -X stream -c fast; do
    echo "waiting for the primary" >&2
    sleep 2
  done
  chmod 0700 "$PGDATA"
fi
exec postgres -c hot_standby=on
