import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One line of a recorded trace (see shared/asterisk-reference/README.md, "Line format"). */
export interface TraceLine {
  dir: 'event' | 'request' | 'ws' | 'note';
  _t: number;
  _t_sent?: number;
  _auth?: string;
  [key: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  response: unknown;
  auth?: string;
}

export type EventJson = Record<string, unknown> & { type: string };

export function loadTrace(name: string): TraceLine[] {
  const file = fileURLToPath(new URL(`../../fixtures/${name}.jsonl`, import.meta.url));
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as TraceLine);
}

/** The websocket event as Asterisk sent it (trace bookkeeping keys removed, key order kept). */
export function eventOf(line: TraceLine): EventJson {
  const event: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(line)) if (key !== 'dir' && !key.startsWith('_')) event[key] = value;
  return event as EventJson;
}

export function requestOf(line: TraceLine): RecordedRequest {
  const request: RecordedRequest = {
    method: line.method as string,
    path: line.path as string,
    query: (line.query ?? {}) as Record<string, string>,
    body: line.body ?? null,
    status: line.status as number,
    response: line.response ?? null,
  };
  if (line._auth) request.auth = line._auth;
  return request;
}

const NOISE_VARIABLES = new Set(['BRIDGEPEER', 'BRIDGEPVTCALLID']);

/** Events whose count and place are stable between runs (BRIDGEPEER bursts and BridgeDestroyed are not). */
export function isSignificant(event: EventJson): boolean {
  if (event.type === 'BridgeDestroyed') return false;
  return !(event.type === 'ChannelVarset' && NOISE_VARIABLES.has(event.variable as string));
}

export const isPeerNoise = (event: EventJson) => event.type === 'ChannelVarset' && NOISE_VARIABLES.has(event.variable as string);
