// @vitest-environment node
/**
 * src/api/schema.d.ts must be what `npm run gen:api` makes from frontend/openapi.json today.
 *
 * frontend/openapi.json is the server's OpenAPI document (`make openapi` rewrites it from
 * `ksbfolio openapi` and regenerates schema.d.ts); a Rust test checks that the document is the
 * server's, and this test checks that the TypeScript types are the document's. A missing or
 * stale file fails here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSchema, OPENAPI_PATH, SCHEMA_PATH } from '../../scripts/openapi-schema.mjs';

describe('generated API schema', () => {
  it('schema.d.ts is up to date with openapi.json (run `make openapi`)', async () => {
    expect(existsSync(OPENAPI_PATH), 'frontend/openapi.json is missing: run `make openapi`').toBe(true);
    expect(existsSync(SCHEMA_PATH), 'src/api/schema.d.ts is missing: run `npm run gen:api`').toBe(true);
    const expected = await generateSchema();
    const actual = readFileSync(SCHEMA_PATH, 'utf8');
    expect(actual === expected, 'src/api/schema.d.ts is stale: run `npm run gen:api` and commit it').toBe(true);
  });
});
