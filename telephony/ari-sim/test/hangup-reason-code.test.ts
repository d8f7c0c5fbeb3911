import { describe, expect, it } from 'vitest';
import type { AriSim } from '../index.ts';
import { simPerTest } from './sim-per-test.ts';
import { ariHttp } from './ari-http.ts';
import { RestSocket } from './rest-socket.ts';

// DELETE /channels/{id} with `reason_code` or `reason` (res/ari/resource_channels.c ast_ari_channels_hangup, Asterisk
// 22.10.1): the code becomes the channel's hangup cause, so ChannelDestroyed carries it with ast_cause2str's text
// ("Unknown" for a code Asterisk has no name for); ChannelHangupRequest stays {cause: 32, soft: true} (the soft-hangup
// flag). Both at once, a code that is no number, or an unlisted reason are 400.

const stand = simPerTest();
let sim: AriSim;
let socket: RestSocket;

async function createdChannel(s: AriSim, id: string): Promise<void> {
  const created = await ariHttp(s, 'POST', `/channels/create?endpoint=PJSIP%2Fjudge1&app=${s.app}&channelId=${id}`);
  expect(created.status).toBe(200);
}

/** Hangs a created channel up with the query given; its ChannelHangupRequest and ChannelDestroyed fields. */
async function hangup(s: AriSim, id: string, query: string) {
  await createdChannel(s, id);
  expect((await ariHttp(s, 'DELETE', `/channels/${id}?${query}`)).status).toBe(204);
  const ofChannel = (e: { channel?: { id?: string } }) => e.channel?.id === id;
  const request = await s.waitFor('ChannelHangupRequest', ofChannel, { includePast: true });
  const destroyed = await s.waitFor('ChannelDestroyed', ofChannel, { includePast: true });
  return {
    request: { cause: request.cause, soft: request.soft },
    destroyed: { cause: destroyed.cause, cause_txt: destroyed.cause_txt },
  };
}

describe('hangup with reason_code', () => {
  it('destroys the channel with that cause and its Asterisk text; the hangup request stays the soft one', async () => {
    sim = await stand.start();
    socket = await stand.open(sim.wsUrl());
    const soft = { cause: 32, soft: true };
    expect(await hangup(sim, 'c-17', 'reason_code=17')).toEqual({ request: soft, destroyed: { cause: 17, cause_txt: 'User busy' } });
    expect(await hangup(sim, 'c-44', 'reason_code=44')).toEqual({ request: soft, destroyed: { cause: 44, cause_txt: 'Requested channel not available' } });
    expect(await hangup(sim, 'c-200', 'reason_code=200')).toEqual({ request: soft, destroyed: { cause: 200, cause_txt: 'Unknown' } });
    // sscanf("%d") reads the leading number.
    expect(await hangup(sim, 'c-21', 'reason_code=21x')).toEqual({ request: soft, destroyed: { cause: 21, cause_txt: 'Call Rejected' } });
    // `timeout` is AST_CAUSE_NO_USER_RESPONSE (18), not no-answer (19); an empty value is no value.
    expect(await hangup(sim, 'c-timeout', 'reason=timeout')).toEqual({ request: soft, destroyed: { cause: 18, cause_txt: 'No user responding' } });
    expect(await hangup(sim, 'c-empty', 'reason=&reason_code=')).toEqual({ request: soft, destroyed: { cause: 16, cause_txt: 'Normal Clearing' } });
  });

  it('refuses reason and reason_code together, a code that is no number and an unknown reason, and leaves the channel', async () => {
    sim = await stand.start();
    socket = await stand.open(sim.wsUrl());
    await createdChannel(sim, 'c-1');
    const refusals: Array<[string, string, string]> = [
      ['reason_code=16&reason=busy', "The reason and reason_code can't both be specified", 'Bad Request'],
      ['reason_code=abc', 'Invalid reason for hangup reason code provided', 'Invalid Reason Code'],
      ['reason=bogus', 'Invalid reason for hangup reason provided', 'Invalid Reason'],
      ['reason=toString', 'Invalid reason for hangup reason provided', 'Invalid Reason'],
    ];
    for (const [query, message, phrase] of refusals) {
      expect(await ariHttp(sim, 'DELETE', `/channels/c-1?${query}`), query).toMatchObject({ status: 400, body: { message } });
      const response = await socket.request({ request_id: query, method: 'DELETE', uri: `channels/c-1?${query}` });
      expect(response, query).toMatchObject({ status_code: 400, reason_phrase: phrase, message_body: JSON.stringify({ message }) });
    }
    expect((await ariHttp(sim, 'GET', '/channels/c-1')).status).toBe(200);
    expect(sim.events().some((e) => e.event.type === 'ChannelHangupRequest')).toBe(false);
    // The channel is looked up first.
    expect(await ariHttp(sim, 'DELETE', '/channels/nope?reason_code=16&reason=busy')).toMatchObject({ status: 404, body: { message: 'Channel not found' } });
  });
});
