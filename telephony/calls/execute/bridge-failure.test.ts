import { loggedLines } from '../../../test/harness/logged.ts';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AriGone } from '../../ari/errors.ts';
import type { AriCommand, BridgeInfo } from '../../ari/types.ts';
import type { LiveCall } from '../live-call.ts';
import { newCall } from '../machine.ts';
import type { CallInput } from '../types.ts';
import { bridge } from './channel-commands.ts';

// The caller's and the operator's channels that Asterisk does not put in their bridge: tried once more, then looked
// for in the bridge; not found there, the call hears of it as bridge_failed (and is not counted as connected).
describe('a bridge whose channels Asterisk does not take', () => {
  const run = async (failures: number, listed: BridgeInfo[] | 'unreadable' = [], createFailures = 0) => {
    const { logger: log, lines } = loggedLines();
    const sent: string[] = [];
    const submitted: CallInput[] = [];
    const call = { state: newCall({ callId: randomUUID(), channelId: 'caller-ch', courtId: randomUUID(), callerNumber: '13800000000' }), log } as unknown as LiveCall;
    let left = failures;
    let createsLeft = createFailures;
    let created = false;
    const ari = {
      connected: true,
      execute: async (command: AriCommand) => {
        sent.push(command.kind);
        if (command.kind === 'createBridge') {
          if (createsLeft-- > 0) throw new Error('ARI request timed out');
          created = true;
        }
        if (command.kind === 'addToBridge' && !created) throw new AriGone('add to bridge: Bridge not found');
        if (command.kind === 'addToBridge' && left-- > 0) throw new Error('ARI request timed out');
      },
      listBridges: async () => {
        if (listed === 'unreadable') throw new Error('ARI request timed out');
        return listed;
      },
    };
    await bridge({ ari, submit: () => undefined, followUp: (_id: string, input: CallInput) => submitted.push(input) } as never, call, { kind: 'bridge', bridgeId: 'b1', channelIds: ['caller-ch', 'op-ch'] } as never);
    return {
      errors: lines.filter((l) => l.level === 'error').map((l) => l.msg),
      joins: sent.filter((k) => k === 'addToBridge').length,
      recorded: sent.includes('recordBridge'),
      submitted: submitted.map(({ at: _at, ...input }) => input),
    };
  };
  const failed = { type: 'bridge_failed', bridgeId: 'b1', channelIds: ['caller-ch', 'op-ch'] };
  const bridged = { type: 'bridged', bridgeId: 'b1' };
  const error = 'bridge refused twice and not found joined: handed back to the call as bridge_failed';

  it('is tried once more, and a second try that works is a bridge like any other (the call hears it was bridged)', async () => {
    expect(await run(0)).toEqual({ errors: [], joins: 1, recorded: true, submitted: [bridged] });
    expect(await run(1)).toEqual({ errors: [], joins: 2, recorded: true, submitted: [bridged] });
  });

  it('refused twice and not in the bridge (or the bridges unreadable): an error, and the call is told', async () => {
    expect(await run(2)).toEqual({ errors: [error], joins: 2, recorded: false, submitted: [failed] });
    expect(await run(2, [{ id: 'b1', channelIds: ['caller-ch'] }])).toEqual({ errors: [error], joins: 2, recorded: false, submitted: [failed] });
    expect(await run(2, 'unreadable')).toEqual({ errors: [error], joins: 2, recorded: false, submitted: [failed] });
  });

  it('a bridge whose creation was lost (every join "not found") is created again before the second try', async () => {
    expect(await run(0, [], 1)).toEqual({ errors: [], joins: 2, recorded: true, submitted: [bridged] });
    // Lost both times: not joined, and the call is told (a warning, since a party may simply have hung up).
    expect(await run(0, [], 2)).toEqual({ errors: [], joins: 2, recorded: false, submitted: [failed] });
  });

  it('refused twice but found in the bridge (a first try that landed after timing out): joined', async () => {
    expect(await run(2, [{ id: 'b1', channelIds: ['op-ch', 'caller-ch'] }])).toEqual({ errors: [], joins: 2, recorded: true, submitted: [bridged] });
  });
});
