#!/usr/bin/env bash
# Builds the independent Go verifier (../shared/tools/tlog-verify) into .tmp/tlogverify and prints its path.
# Offline, from Debian packages only:  apt-get install -y golang-go golang-golang-x-mod-dev
# Idempotent: rebuilds only when a Go source is newer than the binary.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SRC=${TLOG_VERIFY_SRC:-$(cd "$ROOT/.." && pwd)/shared/tools/tlog-verify}
OUT_DIR="$ROOT/.tmp"
OUT="$OUT_DIR/tlogverify"

if [ ! -d "$SRC/cmd/tlogverify" ]; then
  echo "tlog-verify.sh: verifier sources not found at $SRC" >&2
  exit 3
fi
if ! command -v go >/dev/null 2>&1; then
  echo "tlog-verify.sh: Go is not installed. Install it with:" >&2
  echo "  apt-get install -y golang-go golang-golang-x-mod-dev" >&2
  exit 4
fi
if [ ! -d /usr/share/gocode/src/golang.org/x/mod/sumdb ]; then
  echo "tlog-verify.sh: golang.org/x/mod is missing. Install it with:" >&2
  echo "  apt-get install -y golang-golang-x-mod-dev" >&2
  exit 4
fi

if [ -x "$OUT" ] && [ -z "$(find "$SRC/cmd/tlogverify" -name '*.go' -newer "$OUT" -print -quit)" ]; then
  echo "$OUT"
  exit 0
fi

mkdir -p "$OUT_DIR"
# GOPATH mode against Debian's x/mod; the shared sources may be read-only, so everything is written under .tmp.
(
  cd "$SRC"
  GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOPROXY=off GOCACHE="$OUT_DIR/gocache" \
    go build -o "$OUT.partial" ./cmd/tlogverify
)
mv "$OUT.partial" "$OUT"
echo "$OUT"
