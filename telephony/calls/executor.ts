import type { LiveCall } from './live-call.ts';
import type { CallCommand } from './types.ts';
import { answer, bridge, destroyBridge, hangupCaller, hangupLeg, musicOnHold, play, record, stopPlayback, stopRecording, tagCallerChannel } from './execute/channel-commands.ts';
import { lookupCase } from './execute/case-lookup.ts';
import { closeCall } from './execute/close-call.ts';
import type { CallCommandKind, CommandHandler, ExecutorDeps } from './execute/deps.ts';
import { messageOrCallback, transferTicket } from './execute/intake-commands.ts';
import { ringOperator, ringTarget } from './execute/leg-commands.ts';
import { announcePosition, dequeue, enqueue, operatorPresence } from './execute/live-state-commands.ts';
import { appendCallEvent, recordLeg } from './execute/record-commands.ts';
import { publishCallEvent, publishTransferStep, screenPop } from './execute/realtime-commands.ts';
import { cancelTimer, startTimer } from './execute/timer-commands.ts';

export type { ExecutorDeps } from './execute/deps.ts';

/**
 * Each command kind and the part that carries it out, by what it touches: ARI (channel and leg commands), live
 * state in Redis (queue, presence), the call's records (the journal), realtime events, ticket intake, the
 * call's own timers and the case directory.
 */
const handlers: { [Kind in CallCommandKind]: CommandHandler<Kind> } = {
  answer,
  tagChannel: tagCallerChannel,
  play,
  announcePosition,
  stopPlayback,
  startMoh: musicOnHold,
  stopMoh: musicOnHold,
  hangupCaller,
  hangupOperator: hangupLeg,
  hangupLeg,
  record,
  stopRecording,
  bridge,
  destroyBridge,
  startTimer,
  cancelTimer,
  log: (d, call, c) => {
    appendCallEvent(d, call, c);
    publishTransferStep(d, call, c);
  },
  enqueue,
  dequeue,
  ringOperator,
  ringTarget,
  recordLeg,
  lookupCase,
  transferTicket,
  releaseOperator: operatorPresence,
  operatorMissed: operatorPresence,
  operatorNotBridged: operatorPresence,
  operatorOnCall: operatorPresence,
  operatorWrapUp: operatorPresence,
  screenPop,
  publish: publishCallEvent,
  intake: messageOrCallback,
  close: closeCall,
};

/**
 * The one executor: carries out a call's commands. ARI failures are logged and never escape (a gone
 * channel is normal: its hangup event follows); writes go to the journal and never wait for PostgreSQL.
 */
export async function execute(d: ExecutorDeps, call: LiveCall, c: CallCommand): Promise<void> {
  const run = handlers[c.kind] as (d: ExecutorDeps, call: LiveCall, c: CallCommand) => void | Promise<void>;
  return run(d, call, c);
}
