#!/usr/bin/env bash
# Self-signed certificate for DEVELOPMENT: writes docker/certs/tls.crt and tls.key (RSA 2048, 825 days, SAN
# localhost, 127.0.0.1 and the names given as arguments). Browsers will warn: use your CA's certificate in production.
#   docker/gen-dev-cert.sh [crowdsafe.local ...]
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/certs"
mkdir -p "$dir"
san="DNS:localhost,IP:127.0.0.1,IP:::1"
for n in "$@"; do san="$san,DNS:$n"; done
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 825 \
  -keyout "$dir/tls.key" -out "$dir/tls.crt" \
  -subj "/CN=${1:-localhost}/O=CrowdSafe development" \
  -addext "subjectAltName=$san" -addext "extendedKeyUsage=serverAuth" 2>/dev/null
chmod 600 "$dir/tls.key"
echo "wrote $dir/tls.crt and $dir/tls.key (self-signed, SAN $san)"
