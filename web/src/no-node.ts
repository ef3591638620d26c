/** Node's modules in the browser: what the shared domain files import from them is never called by the console. */
export const createHash = undefined;
export const randomUUID = undefined;
