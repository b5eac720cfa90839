#!/usr/bin/env bash
# The S3-protocol server the API tests store attachments in: moto's server mode (from PyPI) in a
# virtual environment at VENV_DIR (the tests pass one under Cargo's target folder). Idempotent,
# and safe when several test processes ask at once. Needs python3 with its venv module.
set -euo pipefail
venv="${1:?usage: scripts/ensure-s3-test-server.sh VENV_DIR}"
version="5.2.5"
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
if [ -x "$venv/bin/moto_server" ] && [ "$("$venv/bin/python" -c 'import moto; print(moto.__version__)' 2>/dev/null)" = "$version" ]; then
  exit 0
fi
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$version"
