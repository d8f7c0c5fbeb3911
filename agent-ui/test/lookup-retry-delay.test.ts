import { describe, expect, it } from 'vitest';
import { lookupRetryDelay } from '../src/api/lookupRetryDelay.ts';

describe('lookupRetryDelay: when an unread lookup is read again', () => {
  it('waits 5 s after the first failure, doubling after each further one', () => {
    expect([1, 2, 3, 4].map(lookupRetryDelay)).toEqual([5_000, 10_000, 20_000, 40_000]);
  });

  it('never waits more than 60 s, however many failures in a row', () => {
    expect([5, 6, 20, 1000].map(lookupRetryDelay)).toEqual([60_000, 60_000, 60_000, 60_000]);
  });

  it('treats "no failure yet" as the first', () => {
    expect(lookupRetryDelay(0)).toBe(5_000);
  });
});
