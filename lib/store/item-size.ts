/**
 * An item's size as DynamoDB counts it against its 400 KB limit: for each
 * attribute, the UTF-8 length of its name plus the size of its value (strings
 * by UTF-8 length, numbers by their significant digits, sets by their
 * elements, lists and maps with a few bytes of overhead each). Lets a write be
 * refused before it starts rather than part-way through.
 */
export const MAX_ITEM_BYTES = 400 * 1024;

const utf8 = (s: string) => Buffer.byteLength(s);

function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number') {
    const digits = String(Math.abs(value)).replace(/[.e+-]/g, '').replace(/^0+/, '').length || 1;
    return Math.ceil(digits / 2) + 1;
  }
  if (value instanceof Set) return [...value].reduce<number>((sum, v) => sum + valueSize(v), 0);
  if (value instanceof Uint8Array) return value.length;
  if (Array.isArray(value)) return 3 + value.reduce<number>((sum, v) => sum + 1 + valueSize(v), 0);
  if (typeof value === 'object') return 3 + Object.entries(value).reduce<number>((sum, [k, v]) => sum + 1 + utf8(k) + valueSize(v), 0);
  return utf8(String(value));
}

export const itemSize = (item: Record<string, unknown>) => Object.entries(item).reduce<number>((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
