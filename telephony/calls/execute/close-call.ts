import type { LiveCall } from '../live-call.ts';
import type { CommandOf, ExecutorDeps } from './deps.ts';
import { recordClose } from './record-commands.ts';
import { publishCallEnded } from './realtime-commands.ts';

/** The call is over: its row closed, the consoles told, its recordings fetched, and the controller forgets it. */
export function closeCall(d: Pick<ExecutorDeps, 'journal' | 'events' | 'recordings' | 'release'>, call: LiveCall, c: CommandOf<'close'>): void {
  const s = call.state;
  recordClose(d, call, c);
  publishCallEnded(d, call, c);
  d.recordings?.callClosed({ callId: s.callId, talked: c.summary.answeredAt !== null || c.summary.outcome === 'transferred', messageName: s.recordingName });
  call.log.info({ outcome: c.summary.outcome, hangupBy: c.summary.hangupBy }, 'call ended');
  d.release(call);
}
