import { uuid } from '../format.ts';
import type { LiveRecordingJson, PlaybackJson } from '../types.ts';
import type { SimAsterisk, SimLiveRecording, SimPlayback } from './asterisk.ts';
import type { SimBridge } from './bridge.ts';
import { announcePeers } from './bridge-peers.ts';
import type { SimChannel } from './channel.ts';
import { wavDurationMs } from '../../prompts/wav-duration.ts';

type Target = { kind: 'channel'; channel: SimChannel } | { kind: 'bridge'; bridge: SimBridge };

export function playbackJson(playback: SimPlayback): PlaybackJson {
  return {
    id: playback.id,
    media_uri: playback.mediaUri,
    target_uri: `${playback.target.kind}:${playback.target.id}`,
    language: 'en',
    state: playback.state,
  };
}

/**
 * Remote sounds (`sound:http(s)://…`) as res_http_media_cache keeps them: fetched once per URL by a GET (a 2xx of a
 * PCM wav, its length from the header; anything else fails that playback and is not kept). Per stand-in Asterisk.
 */
const remoteSounds = new WeakMap<SimAsterisk, Map<string, number>>();
const isRemote = (sound: string) => /^https?:\/\//.test(sound);

function remoteUris(mediaUri: string): string[] {
  return mediaUri
    .split(',')
    .filter((m) => m.startsWith('sound:') && isRemote(m.slice(6)))
    .map((m) => m.slice(6));
}

/** Fetches the remote sounds a playback names that are not cached yet; a failure leaves them out (playback fails). */
async function fetchRemote(ast: SimAsterisk, urls: string[]): Promise<void> {
  const cache = remoteSounds.get(ast) ?? new Map<string, number>();
  remoteSounds.set(ast, cache);
  await Promise.all(
    urls
      .filter((url) => !cache.has(url))
      .map(async (url) => {
        try {
          const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
          const ms = res.ok ? wavDurationMs(Buffer.from(await res.arrayBuffer())) : null;
          if (ms !== null) cache.set(url, ms);
        } catch {
          // unreachable: not cached, the playback fails as Asterisk's does
        }
      }),
  );
}

/** How long a media URI plays, or null when Asterisk cannot find it (the playback then fails). */
function mediaDurationMs(ast: SimAsterisk, mediaUri: string): number | null {
  let total = 0;
  for (const media of mediaUri.split(',')) {
    const colon = media.indexOf(':');
    const scheme = colon > 0 ? media.slice(0, colon) : '';
    const rest = media.slice(colon + 1);
    if (scheme === 'sound' && isRemote(rest)) {
      const ms = remoteSounds.get(ast)?.get(rest);
      if (ms === undefined) return null;
      total += ms;
    } else if (scheme === 'sound') {
      const ms = ast.options.sounds[rest];
      if (ms === undefined) return null;
      total += ms;
    } else if (scheme === 'recording') {
      const stored = ast.storedRecordings.get(rest);
      if (!stored) return null;
      total += stored.durationMs;
    } else if (scheme === 'digits' || scheme === 'number' || scheme === 'characters') {
      total += 400 * Math.max(1, rest.length);
    } else if (scheme === 'tone') {
      total += 24 * 3600 * 1000; // plays until stopped
    } else {
      return null;
    }
  }
  return total;
}

function queueOf(ast: SimAsterisk, playback: SimPlayback): string[] | undefined {
  return playback.target.kind === 'channel'
    ? ast.channels.get(playback.target.id)?.playbackQueue
    : ast.bridges.get(playback.target.id)?.playbackQueue;
}

function finishPlayback(ast: SimAsterisk, playback: SimPlayback, state: 'done' | 'failed' | 'canceled'): void {
  ast.cancel(playback.timer);
  playback.timer = null;
  playback.state = state;
  ast.playbacks.delete(playback.id);
  const queue = queueOf(ast, playback);
  if (queue) {
    const index = queue.indexOf(playback.id);
    if (index >= 0) queue.splice(index, 1);
  }
  ast.hub.emitEvent(playback.app, 'PlaybackFinished', { playback: playbackJson(playback) });
  const next = queue?.[0] ? ast.playbacks.get(queue[0]) : undefined;
  if (next && next.state === 'queued') startPlayback(ast, next);
}

function startPlayback(ast: SimAsterisk, playback: SimPlayback): void {
  playback.state = 'playing';
  ast.hub.emitEvent(playback.app, 'PlaybackStarted', { playback: playbackJson(playback) });
  const remote = remoteUris(playback.mediaUri).filter((url) => !remoteSounds.get(ast)?.has(url));
  if (remote.length > 0) {
    // Asterisk fetches an uncached URL before it plays; a playback stopped meanwhile is left as it is.
    void fetchRemote(ast, remote).then(() => {
      if (playback.state === 'playing' && playback.timer === null && ast.playbacks.get(playback.id) === playback) playFor(ast, playback);
    });
    return;
  }
  playFor(ast, playback);
}

function playFor(ast: SimAsterisk, playback: SimPlayback): void {
  const duration = mediaDurationMs(ast, playback.mediaUri);
  if (duration === null) {
    finishPlayback(ast, playback, 'failed');
    return;
  }
  playback.timer = ast.later(duration, () => finishPlayback(ast, playback, 'done'));
}

/** POST …/play: 201 with a queued Playback; PlaybackStarted follows at once (or after earlier playbacks on the target). */
export function play(ast: SimAsterisk, target: Target, mediaUri: string, playbackId?: string): SimPlayback {
  const app = target.kind === 'channel' ? target.channel.app : ([...target.bridge.apps][0] ?? null);
  const playback: SimPlayback = {
    id: playbackId ?? uuid(),
    mediaUri,
    target: target.kind === 'channel' ? { kind: 'channel', id: target.channel.id } : { kind: 'bridge', id: target.bridge.id },
    state: 'queued',
    timer: null,
    app,
  };
  ast.playbacks.set(playback.id, playback);
  const queue = target.kind === 'channel' ? target.channel.playbackQueue : target.bridge.playbackQueue;
  queue.push(playback.id);
  if (queue.length === 1) {
    ast.later(0, () => {
      if (playback.state === 'queued' && ast.playbacks.has(playback.id)) startPlayback(ast, playback);
    });
  }
  return playback;
}

/** DELETE /playbacks/{id}: a playing playback finishes `done`, a queued one `canceled`. */
export function stopPlayback(ast: SimAsterisk, playback: SimPlayback): void {
  finishPlayback(ast, playback, playback.state === 'queued' ? 'canceled' : 'done');
}

export interface RecordOptions {
  name: string;
  format: string;
  maxDurationSeconds?: number;
  terminateOn?: string;
  ifExists?: 'fail' | 'overwrite' | 'append';
}

/** POST …/record: RecordingStarted follows immediately; the response carries state `queued`. */
export function record(ast: SimAsterisk, target: Target, options: RecordOptions): SimLiveRecording {
  const targetRef = target.kind === 'channel' ? { kind: 'channel' as const, id: target.channel.id } : { kind: 'bridge' as const, id: target.bridge.id };
  const app = target.kind === 'channel' ? target.channel.app : ([...target.bridge.apps][0] ?? null);
  const json: LiveRecordingJson = { name: options.name, format: options.format, state: 'queued', target_uri: `${targetRef.kind}:${targetRef.id}` };
  const recording: SimLiveRecording = { json, target: targetRef, startedAt: Date.now(), app, terminateOn: options.terminateOn ?? 'none', ifExists: options.ifExists ?? 'fail', timer: null };
  ast.liveRecordings.set(options.name, recording);
  if (target.kind === 'channel') target.channel.recordings.add(options.name);
  else {
    target.bridge.recordings.add(options.name);
    const first = ast.channels.get(target.bridge.channelIds[0] ?? '');
    if (first) announcePeers(ast, target.bridge, first, ast.nextRecorderName());
  }
  json.state = 'recording';
  ast.hub.emitEvent(app, 'RecordingStarted', { recording: { ...json } });
  if (options.maxDurationSeconds && options.maxDurationSeconds > 0) {
    recording.timer = ast.later(options.maxDurationSeconds * 1000, () => stopRecording(ast, recording));
  }
  return recording;
}

/** Stops a live recording: RecordingFinished `done` with its duration in whole seconds; it becomes a stored recording. */
export function stopRecording(ast: SimAsterisk, recording: SimLiveRecording, state: 'done' | 'canceled' = 'done'): void {
  if (!ast.liveRecordings.has(recording.json.name)) return;
  ast.cancel(recording.timer);
  ast.liveRecordings.delete(recording.json.name);
  const durationMs = Date.now() - recording.startedAt;
  recording.json.state = state;
  const finished: LiveRecordingJson = { ...recording.json };
  if (state === 'done') {
    finished.duration = Math.round(durationMs / 1000);
    // ifExists=append: this take is added to the end of the stored file (RecordingFinished still gives this take's duration).
    const earlier = recording.ifExists === 'append' ? (ast.storedRecordings.get(recording.json.name)?.durationMs ?? 0) : 0;
    ast.storedRecordings.set(recording.json.name, { name: recording.json.name, format: recording.json.format, durationMs: earlier + durationMs });
  }
  if (recording.target.kind === 'channel') ast.channels.get(recording.target.id)?.recordings.delete(recording.json.name);
  else {
    const bridge = ast.bridges.get(recording.target.id);
    bridge?.recordings.delete(recording.json.name);
    const first = bridge ? ast.channels.get(bridge.channelIds[0] ?? '') : undefined;
    ast.hub.emitEvent(recording.app, 'RecordingFinished', { recording: finished });
    if (bridge && first) announcePeers(ast, bridge, first);
    return;
  }
  ast.hub.emitEvent(recording.app, 'RecordingFinished', { recording: finished });
}

/** A DTMF digit from the far end (RFC 4733): ChannelDtmfReceived, and a recording with a matching terminateOn stops. */
export function receiveDtmf(ast: SimAsterisk, channel: SimChannel, digit: string, durationMs: number): void {
  ast.emitChannel('ChannelDtmfReceived', channel, { digit, duration_ms: durationMs });
  for (const name of [...channel.recordings]) {
    const recording = ast.liveRecordings.get(name);
    if (!recording) continue;
    const on = recording.terminateOn;
    if (on === 'any' || (on !== 'none' && on.includes(digit))) stopRecording(ast, recording);
  }
}

export function finishChannelMedia(ast: SimAsterisk, channel: SimChannel): void {
  for (const id of [...channel.playbackQueue].reverse()) {
    const playback = ast.playbacks.get(id);
    if (playback) finishPlayback(ast, playback, playback.state === 'queued' ? 'canceled' : 'done');
  }
  for (const name of [...channel.recordings]) {
    const recording = ast.liveRecordings.get(name);
    if (recording) stopRecording(ast, recording);
  }
}

export function finishBridgeMedia(ast: SimAsterisk, bridge: SimBridge): void {
  for (const id of [...bridge.playbackQueue].reverse()) {
    const playback = ast.playbacks.get(id);
    if (playback) finishPlayback(ast, playback, playback.state === 'queued' ? 'canceled' : 'done');
  }
  for (const name of [...bridge.recordings]) {
    const recording = ast.liveRecordings.get(name);
    if (recording) stopRecording(ast, recording);
  }
}
