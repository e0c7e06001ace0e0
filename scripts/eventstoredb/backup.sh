#!/bin/sh
# EventStoreDB 23.10's own file-copy backup, with the node running, in the order its documentation requires:
# the checkpoint files (*.chk) first, then the index, then the chunk files. Never while a scavenge runs.
#   backup.sh <the node's data directory> <destination>
# `npm run backup -- --eventstoredb-backup 'sh scripts/eventstoredb/backup.sh /eventstore "$PASSERELLE_BACKUP_DIR/eventstoredb"'`
# runs it between the tree heads and the personal-data vault (README, Backups).
set -eu
source=${1:?usage: backup.sh <node data directory> <destination>}
destination=${2:?usage: backup.sh <node data directory> <destination>}
mkdir -p "$destination"
cp -p "$source"/*.chk "$destination"/
cp -Rp "$source"/index "$destination"/
cp -p "$source"/chunk-* "$destination"/
