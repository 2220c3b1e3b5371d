#!/usr/bin/env bash
# Writes .env for docker compose from deploy/compose/example.env, filling every empty secret with a fresh
# random value. Leaves an existing .env alone.
set -euo pipefail
TARGET="${1:-.env}"
if [[ -e "$TARGET" ]]; then
  echo "$TARGET exists; leaving it alone"
  exit 0
fi
umask 077
while IFS= read -r line; do
  if [[ "$line" =~ ^([A-Z_]+)=$ ]]; then
    secret="$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
    if [[ "${BASH_REMATCH[1]}" == RESOLUTE_ADMIN_KEY ]]; then
      secret="rsk_$secret"
    fi
    echo "${BASH_REMATCH[1]}=$secret"
  else
    echo "$line"
  fi
done < "$(dirname "$0")/example.env" > "$TARGET"
echo "wrote $TARGET (admin key: RESOLUTE_ADMIN_KEY in it)"
