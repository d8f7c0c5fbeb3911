/**
 * The telephony benchmark's baseline, in its own process like the controller: a bare ari-client script
 * sending the same ARI requests as the controller up to the operator's ring, in the same order and with the
 * same waits (answer; the two channel variables in the background; the menu prompt; on the digit, once the
 * prompt's request is answered: stop it, hold music, originate), with no state, Redis or records.
 */
import { randomUUID } from 'node:crypto';
import ari from 'ari-client';
import { serveParent, usage } from './child-process.ts';

const url = process.env.ARI_URL!;
const endpoints = Number(process.env.BENCH_OPERATORS ?? 200);
const app = 'barebench';
const client = await ari.connect(url, 'hotline', 'hotline');
const legs = new Map<string, string>();
/** Each caller's menu prompt request: the digit's stop must follow it, or it would miss the prompt. */
const prompts = new Map<string, { playbackId: string; sent: Promise<unknown> }>();
let next = 0;
const quiet = (p: Promise<unknown>) => void p.catch(() => undefined);

client.on('StasisStart', (event: any, channel: any) => {
  if (event.args[0] === 'operator') return;
  const id = channel.id as string;
  const playbackId = `${id}-p1`;
  const sent = (async () => {
    await client.channels.answer({ channelId: id });
    // As the controller: the tags go out in the background, the prompt does not wait for them.
    quiet(client.channels.setChannelVar({ channelId: id, variable: 'HOTLINE_CALL_ID', value: randomUUID() }));
    quiet(client.channels.setChannelVar({ channelId: id, variable: 'COURT_ID', value: randomUUID() }));
    await client.channels.play({ channelId: id, playbackId, media: 'sound:/snd/zh/welcome,sound:/snd/zh/menu' });
  })().catch(() => undefined);
  prompts.set(id, { playbackId, sent });
});
client.on('ChannelDtmfReceived', (_event: any, channel: any) => {
  const id = channel.id as string;
  const leg = `${id}-op1`;
  legs.set(id, leg);
  const prompt = prompts.get(id);
  void (async () => {
    // A correct client stops the prompt once it exists (as the controller's serial steps do): a stop sent
    // before the play request has been answered would miss it and leave it playing over the hold music.
    await prompt?.sent;
    if (prompt) await client.playbacks.stop({ playbackId: prompt.playbackId }).catch(() => undefined);
    await client.channels.startMoh({ channelId: id }).catch(() => undefined);
    await client.channels.originate({
      endpoint: `PJSIP/op${7000 + (next++ % endpoints)}`,
      app,
      appArgs: 'operator',
      callerId: channel.caller.number,
      timeout: 25,
      channelId: leg,
      variables: { HOTLINE_CALL_ID: randomUUID(), COURT_ID: randomUUID() },
    });
  })().catch(() => undefined);
});
client.on('StasisEnd', (_event: any, channel: any) => {
  const leg = legs.get(channel.id);
  legs.delete(channel.id);
  prompts.delete(channel.id);
  if (leg) quiet(client.channels.hangup({ channelId: leg }));
});
await client.start(app);

serveParent({
  usage: () => usage(),
  stop: () => {
    setImmediate(() => process.exit(0));
  },
});
