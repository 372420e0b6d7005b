#!/usr/bin/env bash
# The replica (docker-compose.yml, service `db-replica`): on first start, with an empty data
# folder, copy the primary with `pg_basebackup -R` (which writes standby.signal and the
# connection to stream from, over the slot the primary made for it); then start PostgreSQL
# through the image's own entrypoint, which finds the data folder initialised and runs it as a
# hot standby. Later starts skip the copy and resume streaming.
set -euo pipefail

: "${PRIMARY_HOST:?}" "${REPLICATION_USER:?}" "${REPLICATION_PASSWORD:?}" "${REPLICATION_SLOT:?}"
PGDATA="${PGDATA:-/var/lib/postgresql/data}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  until pg_isready --host "$PRIMARY_HOST" --port 5432 --quiet; do
    echo "Waiting for the primary at $PRIMARY_HOST..."
    sleep 1
  done
  echo "Copying the primary at $PRIMARY_HOST with pg_basebackup."
  gosu postgres pg_basebackup \
    --dbname "host=$PRIMARY_HOST port=5432 user=$REPLICATION_USER password=$REPLICATION_PASSWORD" \
    --pgdata "$PGDATA" --write-recovery-conf --slot "$REPLICATION_SLOT" \
    --wal-method stream --checkpoint fast
fi

exec docker-entrypoint.sh "$@"
