import { describe, expect, it } from 'vitest';
import { courtFor } from './court-directory.ts';

const a = '00000000-0000-4000-8000-00000000000a';
const b = '00000000-0000-4000-8000-00000000000b';

describe('courtFor', () => {
  it('takes the dialplan’s COURT_ID when it names a court, then the number dialled, then the only court', () => {
    const two = { courtIds: [a, b], numbers: new Map([['95368', b]]) };
    expect(courtFor(two, { courtId: a, dialled: '95368' })).toBe(a);
    expect(courtFor(two, { dialled: '95368' })).toBe(b);
    // A COURT_ID naming no court (a typo in extensions.conf, a court removed) does not decide.
    expect(courtFor(two, { courtId: '00000000-0000-4000-8000-0000000000ff', dialled: '95368' })).toBe(b);
    expect(courtFor(two, { dialled: '12368' })).toBeNull();
    expect(courtFor({ courtIds: [a], numbers: new Map() }, { dialled: '12368' })).toBe(a);
    expect(courtFor({ courtIds: [], numbers: new Map() }, { dialled: '12368' })).toBeNull();
  });
});
