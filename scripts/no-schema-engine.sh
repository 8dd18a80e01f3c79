#!/bin/sh
# Stands in for Prisma's native schema engine, which this project never downloads.
# Pointing PRISMA_SCHEMA_ENGINE_BINARY here lets `prisma generate|validate|format` run offline;
# migrations are applied by src/db/migrate.ts instead.
echo "news-graph: the native Prisma schema engine is not used; see docs/architecture.md (Migrations)" >&2
exit 1
