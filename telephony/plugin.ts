import type { Capability } from '../platform/deps.ts';
import { pingAri } from './ari-ping.ts';

/** Telephony: the Asterisk ARI controller. Runs only in a process with the `telephony` role. */
export const telephony: Capability = {
  name: 'telephony',
  register(deps) {
    if (!deps.roles.has('telephony')) return;
    deps.readiness.add('ari', () => pingAri(deps.config.ari));
  },
};
