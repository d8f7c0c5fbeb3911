import type { CommandOutcome } from './try-command.ts';
import type { AriCommand, BridgeInfo } from './types.ts';

/** Waited before the one retry of a bridge's channels that Asterisk did not take (a slow or interrupted answer). */
export const bridgeRetryMs = 250;

/**
 * Puts two parties in their bridge (each command through `send`): created, then joined; a join that does not land is tried once more, the bridge
 * created again first (a create lost on an overloaded Asterisk makes every join "not found"; ARI creates by id or
 * returns the bridge it has). A second miss is checked against the bridges ARI lists, since a first try that timed
 * out may have landed after all. Whatever cannot be shown joined is not: `gone` when the last try found a channel or
 * the bridge gone, else `refused` (a listing that fails too included). Parties who may not hear each other are never
 * taken for connected.
 */
export async function joinBridge(
  ari: { listBridges(): Promise<BridgeInfo[]> },
  bridgeId: string,
  channelIds: readonly string[],
  send: (command: AriCommand) => Promise<CommandOutcome>,
): Promise<'joined' | 'gone' | 'refused'> {
  const create = () => send({ kind: 'createBridge', bridgeId });
  const join = () => send({ kind: 'addToBridge', bridgeId, channelIds: [...channelIds] });
  await create();
  let tried = await join();
  if (tried !== 'done') {
    await new Promise((resolve) => setTimeout(resolve, bridgeRetryMs));
    await create();
    tried = await join();
  }
  if (tried === 'done') return 'joined';
  const bridges = await ari.listBridges().catch(() => undefined);
  const bridge = bridges?.find((b) => b.id === bridgeId);
  if (bridge && channelIds.every((id) => bridge.channelIds.includes(id))) return 'joined';
  return tried === 'gone' ? 'gone' : 'refused';
}
