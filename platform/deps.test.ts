import { describe, expect, it } from 'vitest';
import { serviceOf, type Deps } from './deps.ts';

describe('the service registry', () => {
  it('answers a service a capability registered, and names the fix when none did', () => {
    const service = { create: () => 'created' };
    const deps = { services: { tickets: service } } as unknown as Deps;
    expect(serviceOf(deps, 'tickets')).toBe(service);
    expect(() => serviceOf({ services: {} } as unknown as Deps, 'tickets')).toThrow(/no "tickets" service: register the capability that provides it before this one/);
  });
});
