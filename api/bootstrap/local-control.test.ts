import { describe, expect, it } from 'vitest';
import { fromThisMachine } from './local-control.ts';

describe('local commands come from this machine only', () => {
  it('accepts loopback and a connection whose two ends are one LAN address; refuses any other host', () => {
    expect(fromThisMachine({ remoteAddress: '127.0.0.1', localAddress: '127.0.0.1' })).toBe(true);
    expect(fromThisMachine({ remoteAddress: '::1', localAddress: '::1' })).toBe(true);
    expect(fromThisMachine({ remoteAddress: '::ffff:127.0.0.1', localAddress: '::ffff:127.0.0.1' })).toBe(true);
    // HOTLINE_HOST=10.1.2.3: the command dials 10.1.2.3 and connects from it.
    expect(fromThisMachine({ remoteAddress: '10.1.2.3', localAddress: '10.1.2.3' })).toBe(true);
    expect(fromThisMachine({ remoteAddress: '10.1.2.4', localAddress: '10.1.2.3' })).toBe(false);
    expect(fromThisMachine({ remoteAddress: undefined, localAddress: undefined })).toBe(false);
  });
});
