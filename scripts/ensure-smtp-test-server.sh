#!/usr/bin/env bash
# The SMTP server the API tests send mail to: aiosmtpd from PyPI in a virtual environment at
# VENV_DIR (the tests pass one under Cargo's target folder). Idempotent, and safe when several
# test processes ask at once. Needs python3 with its venv module (Debian: python3-venv).
set -euo pipefail
venv="${1:?usage: scripts/ensure-smtp-test-server.sh VENV_DIR}"
version="1.4.6"
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
if [ -x "$venv/bin/python" ] && [ "$("$venv/bin/python" -c 'import aiosmtpd; print(aiosmtpd.__version__)' 2>/dev/null)" = "$version" ]; then
  exit 0
fi
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==$version"
