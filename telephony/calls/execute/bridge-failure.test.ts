import { loggedLines } from '../../../test/harness/logged.ts';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AriCommand } from '../../ari/types.ts';
import type { LiveCall } from '../live-call.ts';
import { newCall } from '../machine.ts';
import { bridge } from './channel-commands.ts';

// The caller's and the operator's channels that Asterisk does not put in their bridge: tried once more, and if that
// fails too, said as an error (the call is recorded as connected from the operator's answer on).
describe('a bridge whose channels Asterisk does not take', () => {
  const run = async (failures: number) => {
    const { logger: log, lines } = loggedLines();
    const sent: string[] = [];
    const call = { state: newCall({ callId: randomUUID(), channelId: 'caller-ch', courtId: randomUUID(), callerNumber: '13800000000' }), log } as unknown as LiveCall;
    let left = failures;
    const ari = {
      connected: true,
      execute: async (command: AriCommand) => {
        sent.push(command.kind);
        if (command.kind === 'addToBridge' && left-- > 0) throw new Error('ARI request timed out');
      },
    };
    await bridge({ ari, submit: () => undefined } as never, call, { kind: 'bridge', bridgeId: 'b1', channelIds: ['caller-ch', 'op-ch'] } as never);
    return { errors: lines.filter((l) => l.level === 'error').map((l) => l.msg), joins: sent.filter((k) => k === 'addToBridge').length };
  };

  it('is tried once more; a second refusal is an error, a second try that works is not', async () => {
    expect(await run(0)).toEqual({ errors: [], joins: 1 });
    expect(await run(1)).toEqual({ errors: [], joins: 2 });
    expect(await run(2)).toEqual({ errors: ["bridge refused twice: the call's parties may not hear each other, yet the call is recorded as connected"], joins: 2 });
  });
});
