#!/bin/sh
# Regenerates the TSIG test vectors of TsigTest from real peers: requests signed by BIND's dig (-y), answers and an
# AXFR stream signed by Knot. Run as any user with knotd, knotc and dig installed; writes *.bin beside this script.
# Each .bin is a sequence of messages, each preceded by its length in two octets (RFC 1035 §4.2.2 framing).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'knotc -s "$dir/knot.sock" stop >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
secret=$(cat "$here/secret.b64")
port=$((20000 + $$ % 20000))
proxy=$((port + 1))
{
  echo '$ORIGIN example.org.'
  echo '$TTL 3600'
  echo '@ SOA ns1 hostmaster 2026120401 3600 600 86400 300'
  echo '@ NS ns1'
  echo 'ns1 A 198.18.0.1'
  i=0
  while [ $i -lt 200 ]; do
    echo "t$i TXT \"$(printf '%0200d' $i)\""
    i=$((i + 1))
  done
} > "$dir/example.org.zone"
cat > "$dir/knot.conf" <<CONF
server:
  rundir: $dir
  listen: 127.0.0.1@$port
database:
  storage: $dir/db
key:
  - id: xfr
    algorithm: hmac-sha256
    secret: $secret
acl:
  - id: xfr
    key: xfr
    action: transfer
template:
  - id: default
    storage: $dir
zone:
  - domain: example.org
    file: example.org.zone
    acl: xfr
CONF
knotd -c "$dir/knot.conf" -d
sleep 1
/usr/bin/python3 "$here/capture.py" $proxy $port "$here" &
cap=$!
sleep 0.5
dig -p $proxy @127.0.0.1 -y hmac-sha256:xfr:$secret example.org SOA +notcp > /dev/null
dig -p $proxy @127.0.0.1 -y hmac-sha256:xfr:$secret example.org AXFR > /dev/null
wait $cap
