#!/usr/bin/env bash
# Regenerates every committed sample output with the Go on PATH. Run it from
# any directory:  samples/regenerate.sh
#
# For each sample <name> (basic, service) with module root samples/<name> and
# package pattern <pattern>, it runs, from the module root:
#
#   go build -o "$TMP/bin/" <main package>
#   "$TMP/bin/<binary>" -memprofile samples/<name>/allocs.pb.gz
#   go build -p 1 -o "$TMP/m/" -gcflags="<pattern>=-m=2 -json=0,$(mktemp -d)" ./... 2> samples/<name>/escape-m2.txt
#   go build -p 1 -o "$TMP/m/" -gcflags="<pattern>=-m -json=0,$(mktemp -d)"   ./... 2> samples/<name>/escape-m1.txt
#
#   basic:   pattern example.com/advisor/samples/basic,      main package .
#   service: pattern example.com/advisor/samples/service/..., main package ./cmd/service
#
# Why -json=0,<fresh dir>: cmd/go caches the compiler's -m output and replays
# it on a cache hit with the paths as they were printed by the build that
# filled the cache. A new -json directory changes the compile action's ID,
# so every run compiles afresh (like go build -a, without rebuilding the
# standard library). The JSON it writes is thrown away. -p 1 compiles one
# package at a time, so the per-package blocks ("# import/path") come out in
# the same order on every run; their contents are deterministic anyway.
#
# The compiler's diagnostics go to stderr; paths in them are relative to the
# module root (internal/api/codec.go:33:13, ./main.go:40:9). Binaries and the
# -json logs go to a temporary directory that is removed on exit.
# samples/toolchain.txt records the `go version` that produced the outputs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Keep the environment from changing paths or output: no -trimpath or other
# flags from GOFLAGS, no toolchain switch, and no cgo so no C compiler is needed.
export GOFLAGS=""
export GOTOOLCHAIN=local
export CGO_ENABLED=0

# escape <module dir> <package pattern> <flag> <output file>
escape() {
  local dir="$1" pattern="$2" mflag="$3" out="$4"
  local jsondir
  jsondir="$(mktemp -d "$tmp/json.XXXXXX")"
  mkdir -p "$tmp/escape-bin"
  (cd "$dir" && go build -p 1 -o "$tmp/escape-bin/" -gcflags="$pattern=$mflag -json=0,$jsondir" ./... 2>"$out")
}

# sample <name> <package pattern> <main package> <binary name>
sample() {
  local name="$1" pattern="$2" main="$3" bin="$4"
  local dir="$here/$name"
  echo "== $name" >&2
  (cd "$dir" && go vet ./... && go build -o "$tmp/bin/" "$main")
  (cd "$dir" && "$tmp/bin/$bin" -memprofile "$dir/allocs.pb.gz")
  escape "$dir" "$pattern" "-m=2" "$dir/escape-m2.txt"
  escape "$dir" "$pattern" "-m" "$dir/escape-m1.txt"
  echo "   wrote $name/allocs.pb.gz, $name/escape-m2.txt ($(wc -l <"$dir/escape-m2.txt") lines), $name/escape-m1.txt ($(wc -l <"$dir/escape-m1.txt") lines)" >&2
}

mkdir -p "$tmp/bin"
go version >"$here/toolchain.txt"
sample basic example.com/advisor/samples/basic . basic
sample service example.com/advisor/samples/service/... ./cmd/service service
