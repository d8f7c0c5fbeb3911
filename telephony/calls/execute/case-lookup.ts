import { withTimeout } from '../../../platform/timeout.ts';
import type { LiveCall } from '../live-call.ts';
import type { CommandOf, ExecutorDeps } from './deps.ts';

const lookupTimeoutMs = 3000;

/** Menu option 1: the keyed digits in the case directory; the answer comes back to the call as an input. */
export async function lookupCase(d: Pick<ExecutorDeps, 'cases' | 'submit'>, call: LiveCall, c: CommandOf<'lookupCase'>): Promise<void> {
  const s = call.state;
  const found = await withTimeout(d.cases.lookup(s.courtId, c.digits), lookupTimeoutMs).catch((err: Error) => {
    call.log.warn({ err: err.message }, 'case directory unavailable');
    return { found: false as const, reason: 'unknown' as const };
  });
  if (found.found) d.submit(s.callId, { type: 'case_found', target: found.target, caseNumber: found.caseNumber, at: Date.now() });
  else d.submit(s.callId, { type: 'case_not_found', digits: c.digits, reason: found.reason, at: Date.now() });
}
