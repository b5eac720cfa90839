#!/usr/bin/env node
// npm run gen:api — frontend/openapi.json → src/api/schema.d.ts (openapi-typescript).
import { existsSync, writeFileSync } from 'node:fs';
import { generateSchema, OPENAPI_PATH, SCHEMA_PATH } from './openapi-schema.mjs';

if (!existsSync(OPENAPI_PATH)) {
  console.error(`No ${OPENAPI_PATH.pathname}: run \`make openapi\` at the repo root, which writes it from the server.`);
  process.exit(1);
}
writeFileSync(SCHEMA_PATH, await generateSchema());
console.log(`Wrote ${SCHEMA_PATH.pathname}`);
