#!/usr/bin/env bash
# Installs cargo-deny (for `make lint`) from crates.io when it is missing. Idempotent.
set -euo pipefail
version=0.20.2
if ! command -v cargo-deny >/dev/null || ! cargo deny --version | grep -q " $version"; then
  cargo install --locked cargo-deny --version "$version"
fi
