import { describe, expect, it } from 'vitest';
import { auditQuery, encodeCursor, pageQuery, timedLogPageQuery } from '../src/index.ts';

const paths = (r: { error?: { issues: { path: PropertyKey[] }[] } }) => r.error?.issues.map((i) => i.path.join('.'));

describe('page queries', () => {
  it('a cursor is handed on as the sort key it carries', () => {
    expect(timedLogPageQuery.parse({ cursor: encodeCursor([1733443200000, 42]) })).toEqual({
      limit: 50,
      offset: 0,
      cursor: [1733443200000, 42],
    });
    expect(auditQuery.parse({ cursor: encodeCursor([7]), user_id: '3' })).toMatchObject({ cursor: [7], user_id: 3 });
  });

  it('a garbled, foreign, out-of-range or respelled cursor, or one with an offset, is refused naming cursor', () => {
    for (const cursor of ['x', '!!', encodeCursor([1, 2]), encodeCursor([2 ** 31]), encodeCursor([-1]), 'WzFd=='])
      expect(paths(pageQuery.safeParse({ cursor })), cursor).toEqual(['cursor']);
    expect(paths(pageQuery.safeParse({ cursor: encodeCursor([1]), offset: '5' }))).toEqual(['cursor']);
    expect(paths(auditQuery.safeParse({ cursor: encodeCursor([1]), offset: '5' }))).toEqual(['cursor']);
    expect(pageQuery.safeParse({ cursor: encodeCursor([1]), offset: '0' }).success).toBe(true);
  });
});
