#!/usr/bin/env bash
# Debian packages the Rust tests run as real processes, installed when missing (idempotent):
# PgBouncer (the pooler tests run one in transaction mode in front of the test database),
# Python's venv module (the e-mail and S3 tests install aiosmtpd and moto from PyPI into venvs)
# poppler-utils (the PDF tests read the end-point assessment pack back with pdftotext), HAProxy
# (the proxy of `make test-cluster`'s topology) and OpenSSL's command (the mail-over-TLS tests make
# a test certificate authority with it).
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing ${missing[*]} with apt-get" >&2
as_root apt-get update -qq
# RUNLEVEL=1: install PgBouncer's and HAProxy's binaries without starting the packages' services.
as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq "${missing[@]}" >/dev/null
