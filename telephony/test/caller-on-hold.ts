import { expect } from 'vitest';
import type { OverSim } from './over-sim.ts';

/**
 * A caller who chose enquiries (2) and waits in the queue, caught between two position announcements: the last
 * one has finished and the hold music is on again (so no prompt holds the channel's thread).
 */
export async function callerOnHold(t: OverSim, from: string) {
  const call = await t.sim.placeCall({ from });
  await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === call.channelId && e.channel.state === 'Up', { includePast: true });
  await call.pressDigits('2');
  await expect.poll(async () => (await t.rt.service.queueSnapshot(t.courtId)).waiting.length).toBe(1);
  await t.sim.waitFor('PlaybackFinished', (e: any) => e.playback?.target_uri === `channel:${call.channelId}` && e.playback.media_uri.includes('position'), { includePast: true });
  await expect.poll(() => call.treatment.moh).not.toBeNull();
  return call;
}
