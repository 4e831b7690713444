#!/usr/bin/env bash
# Regenerates the initial migration from prisma/schema.prisma (used while the first migration has not shipped),
# keeping the hand-written SQL of prisma/sql/after-init.sql (partial indexes Prisma's schema cannot express).
set -euo pipefail
cd "$(dirname "$0")/.."
out=prisma/migrations/20261126000000_init/migration.sql
DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}" node scripts/prisma.mjs migrate diff --from-empty --to-schema-datamodel prisma/schema.prisma --script > "$out.tmp"
{ cat "$out.tmp"; echo; cat prisma/sql/after-init.sql; } > "$out"
rm "$out.tmp"
node scripts/prisma.mjs generate > /dev/null
echo "regenerated $out and the client"
