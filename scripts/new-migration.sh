#!/usr/bin/env bash
# Authors a migration offline: the SQL that takes the committed schema (git HEAD, or --from <file>) to the
# working copy of prisma/schema.prisma, written to prisma/migrations/<timestamp>_<name>/migration.sql.
# (`prisma migrate dev` needs a shadow database step that does not work with the driver adapter.)
# Usage: npm run db:migration -- <name> [--from old-schema.prisma]
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: npm run db:migration -- <name> [--from old.prisma]}"
[[ "$name" =~ ^[a-z0-9_]+$ ]] || { echo "name must be lower_snake_case" >&2; exit 2; }
old="$(mktemp --suffix=.prisma)"
if [[ "${2:-}" == "--from" ]]; then cp "${3:?--from needs a file}" "$old"; else git show HEAD:prisma/schema.prisma > "$old"; fi
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_$name"
mkdir -p "$dir"
DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}" \
  node scripts/prisma.mjs migrate diff --from-schema-datamodel "$old" --to-schema-datamodel prisma/schema.prisma --script > "$dir/migration.sql"
rm "$old"
node scripts/prisma.mjs generate > /dev/null
echo "wrote $dir/migration.sql (review it: partial indexes and data moves are hand-written SQL)"
