#!/usr/bin/env bash
# The compose file's one-shot `eventstore-certs` service (image eventstore/es-gencert-cli, as root): a CA and one
# certificate per node named in the arguments, its DNS name the node's compose service name (what clients, the
# setup and the other nodes dial). Written once into /certs (the nodes' volume) and kept: a second run creates
# only what is missing. The CA certificate alone is copied to /ca, the volume the subgraphs and the setup mount.
#
# Node certificates last es-gencert-cli's default, one year; the CA five. To renew: see the README, Deployment.
set -euo pipefail

# The eventstore/eventstore image runs as uid 1000: it must read its node's key, never the CA's.
readonly NODE_UID=1000

cd /certs
if [[ ! -f ca/ca.crt || ! -f ca/ca.key ]]; then
  # A new CA: every node certificate signed by the old one goes with it.
  rm -rf -- ./*
  es-gencert-cli create-ca -out ./ca
fi
chmod 0755 ca
chmod 0444 ca/ca.crt
chmod 0400 ca/ca.key

for node in "$@"; do
  if [[ ! -f "$node/node.crt" || ! -f "$node/node.key" ]]; then
    rm -rf "$node"
    es-gencert-cli create-node -ca-certificate ./ca/ca.crt -ca-key ./ca/ca.key -out "./$node" -dns-names "$node"
  fi
  chown -R "$NODE_UID:$NODE_UID" "$node"
done

cp ca/ca.crt /ca/ca.crt
chmod 0444 /ca/ca.crt
