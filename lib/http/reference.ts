/**
 * The API reference that public-api serves at /openapi.json and /docs: two
 * files generated from the zod schemas by `npm run openapi` (lib/http/openapi.ts),
 * committed, and shipped beside the function's bundle (lib/functions.ts
 * `files`). Built once, not in every container: generating it takes every
 * schema and zod's JSON Schema export, ~100 KB and ~10 ms of cold start
 * (docs/performance.md). A unit test fails when the files are out of date.
 */
/** The folder's name, beside public-api's module in the source tree and beside its bundle in the asset. */
export const REFERENCE_FOLDER = 'reference';
/** Relative to the project root. */
export const REFERENCE_DIR = `functions/http/${REFERENCE_FOLDER}`;
export const OPENAPI_FILE = 'openapi.json';
export const DOCS_FILE = 'docs.html';

/** Where the console is (set by the stack on public-api): `GET /console` on the API leads there. */
export const CONSOLE_URL_ENV = 'CONSOLE_URL';
