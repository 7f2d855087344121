#!/bin/sh
# The README's "Declarative provisioning" console excerpt, from a real run
# against `orkeys fake-server`. Regenerate it with
#   go build -o /tmp/orkeys ./cmd/orkeys && BIN=/tmp/orkeys sh cmd/orkeys/testdata/provision_demo.sh
# TestREADMEProvisionExcerpt runs this and compares, hashes aside.
set -u
BIN=${BIN:-orkeys}
D=$(mktemp -d); cd "$D" || exit 1
"$BIN" fake-server --port 0 > env.txt 2>/dev/null &
FS=$!
trap 'kill $FS; rm -rf "$D"' EXIT
# Wait for the two export lines (no sleep: the server prints them once it listens).
while [ "$(grep -c '^export' env.txt 2>/dev/null)" != 2 ]; do :; done
. ./env.txt
cat > orkeys.yaml <<'Y'
version: 1
keys:
  ci:
    name: ci-runner
    limit: 25
    limit_reset: monthly
    deliver: {file: secrets/ci.key}
  batch:
    name: batch-jobs
    limit: 5
    deliver: {exec: "kill -9 $PPID"}   # this first run dies while delivering
Y
say() { echo "\$ orkeys $*"; "$BIN" "$@" 2>&1; c=$?; [ $c -eq 0 ] || echo "(exit $c)"; }
say plan
say apply --yes
sed 's/deliver: {exec: "kill -9 $PPID"}.*/deliver: {exec: "cat > batch.key"}/' orkeys.yaml > y && mv y orkeys.yaml
say plan
say apply --yes
say plan
H=$("$BIN" keys find ci-runner -o json | sed -n 's/.*"hash": *"\([0-9a-f]*\)".*/\1/p' | head -n 1)
"$BIN" keys update "$H" --limit 99 >/dev/null
echo "\$ orkeys keys update ${H%"${H#????????}"}… --limit 99   # out of band"
say plan
say apply --yes
say plan
