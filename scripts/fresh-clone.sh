#!/usr/bin/env bash
# The README's promise, checked in full: clone the committed HEAD into an empty
# temporary directory (nothing beside it, so no ../shared), then run the
# README's two Quick start commands exactly as written. Takes as long as
# `npm ci` twice plus the whole test suite (about 6-8 minutes on two cores).
#   npm run check:fresh-clone
set -euo pipefail
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
sha=$(git -C "$repo" rev-parse HEAD)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone -q --no-checkout "$repo" "$tmp/advisor"
git -C "$tmp/advisor" checkout -q "$sha"
cd "$tmp/advisor"
export ADVISOR_IN_FRESH_CLONE=1  # the suite's own clone test would repeat this one
[ ! -e ../shared ] || { echo "fresh-clone: $tmp/shared exists" >&2; exit 1; }
mapfile -t commands < <(node -e '
  const s = require("fs").readFileSync("README.md", "utf8");
  const q = s.slice(s.indexOf("## Quick start"), s.indexOf("## What you get"));
  for (const m of q.matchAll(/```sh\n([^\n]+)\n```/g)) console.log(m[1]);')
[ "${#commands[@]}" -eq 2 ] || { echo "fresh-clone: expected 2 Quick start commands, found ${#commands[@]}" >&2; exit 1; }
for c in "${commands[@]}"; do
  echo "fresh-clone: $ $c" >&2
  bash -c "$c" > "$tmp/out.txt" || { code=$?; tail -40 "$tmp/out.txt" >&2; echo "fresh-clone: exit $code: $c" >&2; exit 1; }
  echo "fresh-clone: exit 0" >&2
done
echo "fresh-clone: both README commands exit 0 on a clone of $sha with nothing beside it" >&2
