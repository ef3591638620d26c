/**
 * Writes the OpenAPI 3.1 document to a file: `npm run openapi` writes
 * openapi.json at the project root, `npm run openapi -- out/api.json` elsewhere.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from '../lib/http/openapi.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = resolve(process.argv[2] ?? resolve(root, 'openapi.json'));
const document = openApiDocument();
writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
const operations = Object.values(document.paths as Record<string, object>).reduce((n, item) => n + Object.keys(item).length, 0);
console.log(`wrote ${target} (OpenAPI ${String(document.openapi)}, ${operations} operations)`);
