#!/usr/bin/env node
// npm run gen:api — frontend/openapi.json → src/api/schema.d.ts (openapi-typescript).
import { existsSync, writeFileSync } from 'node:fs';
import { generateSchema, OPENAPI_PATH, SCHEMA_PATH } from './openapi-schema.mjs';

if (!existsSync(OPENAPI_PATH)) {
  console.error(
    `No ${OPENAPI_PATH.pathname}. The backend writes it from its OpenAPI document; until then the ` +
      'hand-written types in src/api/types.ts are used.',
  );
  process.exit(1);
}
writeFileSync(SCHEMA_PATH, await generateSchema());
console.log(`Wrote ${SCHEMA_PATH.pathname}`);
