/** The one cursor codec (lib/domain/cursor.ts): base64url JSON, a cursor it did not make a 400 naming `cursor`. */
import { jest } from '@jest/globals';
import { CURSOR_PATTERN, decodeCursor, encodeCursor, invalidCursor } from '../../lib/domain/cursor.js';
import { Invalid } from '../../lib/domain/errors.js';

const fields = (f: Readonly<Record<string, unknown>>) => f;
const refusal = (what: string) => ({ message: `The cursor is not one this ${what} returned.`, errors: [{ path: 'cursor', message: 'invalid cursor' }] });

describe('a cursor', () => {
  it('is base64url JSON of its fields, as cursors handed out before were (they stay good)', () => {
    const value = { l: 'tag', p: [null, 0, '2026-11-30T10:00:00.000Z#alr_x'] };
    const cursor = encodeCursor(value);
    expect(cursor).toBe(Buffer.from(JSON.stringify(value)).toString('base64url'));
    expect(cursor).toMatch(CURSOR_PATTERN);
    expect(decodeCursor(cursor, fields)).toEqual(value);
    expect(decodeCursor(Buffer.from(JSON.stringify({ after: 'tier1' })).toString('base64url'), ({ after }) => after)).toBe('tier1');
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['too long', 'a'.repeat(2049)],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
  ])('%s is refused, naming cursor and what refused it', (_what, cursor) => {
    const read = jest.fn(fields);
    expect(() => decodeCursor(cursor, read, 'dry run')).toThrow(expect.objectContaining(refusal('dry run')));
    expect(read).not.toHaveBeenCalled();
  });

  it('hands its reader no fields when it holds no object, and is refused when the reader refuses', () => {
    for (const value of [null, 3, 'text', ['a']]) {
      const cursor = Buffer.from(JSON.stringify(value)).toString('base64url');
      expect(decodeCursor(cursor, (f) => Object.keys(f).length)).toBe(0);
      expect(() => decodeCursor(cursor, ({ after }) => (typeof after === 'string' ? after : undefined))).toThrow(expect.objectContaining(refusal('list')));
    }
  });

  it('is refused with the same error as every paged answer refuses one', () => {
    const error = invalidCursor();
    expect(error).toBeInstanceOf(Invalid);
    expect(error).toMatchObject(refusal('list'));
  });
});
