import type { BridgeInfo } from './types.ts';

/** Waited before the one retry of a bridge's channels that Asterisk did not take (a slow or interrupted answer). */
export const bridgeRetryMs = 250;

/** One try at adding the channels: done, a channel gone (its hangup event follows), or failed. */
export type JoinTry = () => Promise<'done' | 'gone' | 'failed'>;

/**
 * Puts two parties in their bridge: a refusal is tried once more; a second is checked against the bridges ARI lists,
 * since a first try that timed out may have landed after all. Whatever cannot be shown joined is `refused` (a
 * listing that fails too included): parties who may not hear each other are never taken for connected.
 */
export async function joinBridge(
  ari: { listBridges(): Promise<BridgeInfo[]> },
  bridgeId: string,
  channelIds: readonly string[],
  join: JoinTry,
): Promise<'joined' | 'gone' | 'refused'> {
  let tried = await join();
  if (tried === 'failed') {
    await new Promise((resolve) => setTimeout(resolve, bridgeRetryMs));
    tried = await join();
  }
  if (tried === 'done') return 'joined';
  if (tried === 'gone') return 'gone';
  const bridges = await ari.listBridges().catch(() => undefined);
  const bridge = bridges?.find((b) => b.id === bridgeId);
  return bridge && channelIds.every((id) => bridge.channelIds.includes(id)) ? 'joined' : 'refused';
}
