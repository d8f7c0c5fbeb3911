import { describe, expect, it } from 'vitest';
import { isRefusal } from './refused-records.ts';

describe('isRefusal', () => {
  it('is a refusal for data and integrity errors, from the driver or wrapped by drizzle; not when the database is away', () => {
    const pgError = (code: string) => Object.assign(new Error('x'), { code });
    expect(isRefusal(pgError('22P02'))).toBe(true); // invalid input value for enum
    expect(isRefusal(pgError('23502'))).toBe(true); // not-null violation
    expect(isRefusal(Object.assign(new Error('Failed query'), { cause: pgError('22P02') }))).toBe(true); // PGlite through drizzle
    expect(isRefusal(pgError('08006'))).toBe(false); // connection failure
    expect(isRefusal(pgError('57P01'))).toBe(false); // the server is shutting down
    expect(isRefusal(pgError('ECONNREFUSED'))).toBe(false);
    expect(isRefusal(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isRefusal(undefined)).toBe(false);
  });
});
