/**
 * `npm run openapi`: writes the API reference public-api serves (the OpenAPI
 * 3.1 document and the HTML page, lib/http/reference.ts) from the zod
 * schemas. Run it after changing a route or a schema, and commit the files; a
 * unit test fails while they are out of date.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApiDocument, referenceFiles } from '../lib/http/openapi.js';
import { REFERENCE_DIR } from '../lib/http/reference.js';

const dir = join(fileURLToPath(new URL('..', import.meta.url)), REFERENCE_DIR);
mkdirSync(dir, { recursive: true });
const files = referenceFiles();
for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
const document = openApiDocument();
const operations = Object.values(document.paths as Record<string, object>).reduce((n, item) => n + Object.keys(item).length, 0);
console.log(`wrote ${Object.keys(files).join(' and ')} to ${REFERENCE_DIR} (OpenAPI ${String(document.openapi)}, ${operations} operations)`);
