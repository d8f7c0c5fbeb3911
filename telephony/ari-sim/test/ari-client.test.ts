import client, { type Channel, type Client, type StasisStart } from 'ari-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAriSim, type AriSim } from '../index.ts';

describe('ari-client against the stand-in', () => {
  let sim: AriSim;
  let ari: Client;

  beforeAll(async () => {
    sim = await startAriSim({ app: 'hotline12368', username: 'ceo', password: 'secret', sounds: { 'hello-world': 40 } });
    sim.endpoint('op1').register().answerAfter(30);
    ari = await client.connect(sim.url, 'ceo', 'secret');
    await ari.start('hotline12368');
  });

  afterAll(async () => {
    ari?.stop();
    await sim?.stop();
  });

  it('loads the API description and rejects wrong credentials', async () => {
    expect(typeof ari.channels.originate).toBe('function');
    expect(typeof ari.bridges.addChannel).toBe('function');
    const response = await fetch(`${sim.url}/ari/channels`, { headers: { authorization: `Basic ${Buffer.from('ceo:wrong').toString('base64')}` } });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Authentication required' });
  });

  it('gets StasisStart for a call, answers, plays a sound and bridges it with an originated operator', async () => {
    const started = new Promise<{ event: StasisStart; channel: Channel }>((resolve) => {
      ari.once('StasisStart', (event, channel) => resolve({ event, channel }));
    });
    const call = await sim.placeCall({ from: '13800000000' });
    const { event, channel: caller } = await started;
    expect(event.args).toEqual([]);
    expect(caller.id).toBe(call.channelId);
    expect(caller.state).toBe('Ring');
    expect(caller.caller.number).toBe('13800000000');

    await caller.answer();
    expect(call.state).toBe('Up');

    const finished = new Promise<string>((resolve) => ari.once('PlaybackFinished', (e) => resolve(e.playback.state)));
    const playback = ari.Playback();
    const queued = await caller.play({ media: 'sound:hello-world' }, playback);
    expect(queued.state).toBe('queued');
    expect(queued.id).toBe(playback.id);
    expect(await finished).toBe('done');

    const bridge = await ari.bridges.create({ type: 'mixing', name: 'call-1' });
    expect(bridge.technology).toBe('simple_bridge');
    await bridge.addChannel({ channel: caller.id });

    const operatorStarted = new Promise<Channel>((resolve) => {
      ari.on('StasisStart', (e, channel) => {
        if (e.args[0] === 'operator') resolve(channel);
      });
    });
    const operator = await ari.channels.originate({ endpoint: 'PJSIP/op1', app: 'hotline12368', appArgs: 'operator', callerId: '"Hotline" <12368>' });
    expect(operator.state).toBe('Down');
    const answeredOperator = await operatorStarted;
    expect(answeredOperator.id).toBe(operator.id);
    expect(answeredOperator.state).toBe('Up');
    await bridge.addChannel({ channel: operator.id });

    const snapshot = await ari.bridges.get({ bridgeId: bridge.id });
    expect(snapshot.channels).toEqual([caller.id, operator.id]);
    expect(snapshot.technology).toBe('native_rtp');
    expect(sim.bridges()[0]?.channels).toEqual([caller.id, operator.id]);

    const destroyed = new Promise<number>((resolve) => ari.once('ChannelDestroyed', (e) => resolve(e.cause)));
    expect(sim.endpoint('op1').hangup()).toBe(1);
    expect(await destroyed).toBe(16);
    await caller.hangup();
    expect(call.state).toBe('gone');
  });

  it('reconnects by itself after the websocket drops; calls placed during the gap are declined', async () => {
    const reconnected = new Promise<void>((resolve) => ari.once('WebSocketConnected', () => resolve()));
    expect(sim.dropWebsocket()).toBe(1);
    const duringGap = await sim.placeCall();
    expect(duringGap.accepted).toBe(false);
    await reconnected;
    const started = new Promise<string>((resolve) => ari.once('StasisStart', (_e, channel) => resolve(channel.id)));
    const call = await sim.placeCall();
    expect(call.accepted).toBe(true);
    expect(await started).toBe(call.channelId);
    call.hangup();
  });

  it('reports ARI errors as rejections with the body Asterisk sends', async () => {
    await expect(ari.channels.get({ channelId: 'no-such-channel' })).rejects.toThrow('Channel not found');
    await expect(ari.channels.originate({ endpoint: 'PJSIP/op2', app: 'hotline12368' })).rejects.toThrow('Allocation failed');
  });
});
