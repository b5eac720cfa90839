export const OPENAPI_PATH: URL;
export const SCHEMA_PATH: URL;
export function generateSchema(openapiPath?: URL): Promise<string>;
