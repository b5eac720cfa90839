#!/usr/bin/env bash
# `cargo deny check` for `make lint` (configuration: deny.toml). Licences, banned and duplicate
# crates and sources are judged from Cargo.lock alone and always run. Advisories need the
# RustSec database, fetched from GitHub: when GitHub answers, known vulnerabilities fail the
# lint; when it cannot be reached (an offline machine), that one check is skipped with a warning.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-cargo-deny.sh
cargo deny --locked check licenses bans sources
if timeout 20 git ls-remote --quiet https://github.com/rustsec/advisory-db HEAD >/dev/null 2>&1; then
  cargo deny --locked check advisories
else
  echo "warning: the RustSec advisory database cannot be fetched from here; advisories not checked" >&2
fi
