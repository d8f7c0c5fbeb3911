import type { Normalizer } from './normalizer.ts';
import { isPeerNoise, type EventJson, type RecordedRequest } from './trace.ts';

const DIAL_RANK: Record<string, number> = { 'Dial:': 0, 'ChannelStateChange:Ringing': 1, 'Dial:RINGING': 2 };

function dialRank(event: Record<string, unknown>): number | undefined {
  if (event.type === 'Dial') return DIAL_RANK[`Dial:${String(event.dialstatus)}`];
  if (event.type === 'ChannelStateChange') return DIAL_RANK[`ChannelStateChange:${(event.channel as { state: string }).state}`];
  return undefined;
}

/** The object an event is about: its channel (or Dial peer), else its bridge, playback or recording. */
function subjectOf(event: Record<string, unknown>): string {
  const channel = (event.channel ?? event.peer) as { id?: string } | undefined;
  if (channel?.id) return String(channel.id);
  for (const key of ['bridge', 'playback'] as const) {
    const object = event[key] as { id?: string } | undefined;
    if (object?.id) return `${key}:${object.id}`;
  }
  const recording = event.recording as { name?: string } | undefined;
  return recording?.name ? `recording:${recording.name}` : `type:${String(event.type)}`;
}

/**
 * Per-subject event sequences (normalized JSON text, so key order counts), with the ordering noise the
 * reference README lists removed: the order of Dial ""/RINGING and ChannelStateChange Ringing, and Dial
 * peer.state while alerting. BRIDGEPEER/BRIDGEPVTCALLID bursts and BridgeDestroyed are left out here
 * (see peerVariables for the former).
 */
export function eventSequences(events: EventJson[], normalizer: Normalizer): Record<string, string[]> {
  const bySubject: Record<string, Array<Record<string, unknown>>> = {};
  for (const event of events) {
    if (isPeerNoise(event) || event.type === 'BridgeDestroyed') continue;
    const normalized = normalizer.normalize(event) as Record<string, unknown>;
    if (normalized.type === 'Dial' && (normalized.dialstatus === '' || normalized.dialstatus === 'RINGING')) {
      (normalized.peer as { state: string }).state = '<Down|Ringing>';
    }
    (bySubject[normalizer.token(subjectOf(event)).replace(/^(\w+):(.*)$/, (_m, k, v) => `${k}:${normalizer.token(v)}`)] ??= []).push(normalized);
  }
  const result: Record<string, string[]> = {};
  for (const [subject, list] of Object.entries(bySubject)) {
    for (let i = 0; i < list.length; i += 1) {
      let j = i;
      while (j < list.length && dialRank(list[j] as Record<string, unknown>) !== undefined) j += 1;
      if (j - i > 1) {
        const run = list.slice(i, j).sort((a, b) => (dialRank(a) ?? 0) - (dialRank(b) ?? 0));
        list.splice(i, run.length, ...run);
        i = j - 1;
      }
    }
    result[subject] = list.map((e) => JSON.stringify(e));
  }
  return result;
}

/** Distinct (channel, variable, value) of the BRIDGEPEER/BRIDGEPVTCALLID noise. */
export function peerVariables(events: EventJson[], normalizer: Normalizer): string[] {
  const set = new Set<string>();
  for (const event of events) {
    if (!isPeerNoise(event)) continue;
    const channel = normalizer.token((event.channel as { id: string }).id);
    set.add(`${channel} ${String(event.variable)}=${normalizer.mapString(String(event.value))}`);
  }
  return [...set].sort();
}

/** Requests as comparable lines; list responses of channels are sorted (Asterisk lists them in hash order). */
export function requestLines(requests: RecordedRequest[], normalizer: Normalizer): string[] {
  return requests.map((r) => {
    let response = normalizer.normalize(r.response);
    if (Array.isArray(response) && r.path === '/ari/channels') {
      response = [...response].sort((a, b) => String((a as { id: string }).id).localeCompare(String((b as { id: string }).id)));
    }
    const query = Object.entries(r.query)
      .filter(([k]) => k !== 'timeout')
      .map(([k, v]) => `${k}=${normalizer.mapString(v)}`)
      .join('&');
    return `${r.method} ${normalizer.mapString(r.path)}?${query} → ${r.status} ${JSON.stringify(response)}`;
  });
}
