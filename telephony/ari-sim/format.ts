import { randomUUID } from 'node:crypto';
import type { CallerIdJson } from './types.ts';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Asterisk's ARI timestamp: `YYYY-MM-DDTHH:MM:SS.mmm+0000` (UTC, no colon in the offset). */
export function ariTimestamp(ms: number = Date.now()): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}+0000`
  );
}

/** Lowercase UUIDv4, as Asterisk uses for bridge and playback ids and for outbound SIP Call-IDs. */
export const uuid = (): string => randomUUID();

/** `"Hotline" <12368>` → {name: 'Hotline', number: '12368'}; `12368` → {name: '', number: '12368'}. */
export function parseCallerId(raw: string | undefined): CallerIdJson {
  if (!raw) return { name: '', number: '' };
  const match = /^\s*(?:"([^"]*)"|([^<]*?))\s*<([^>]*)>\s*$/.exec(raw);
  if (match) return { name: (match[1] ?? match[2] ?? '').trim(), number: match[3] ?? '' };
  return { name: '', number: raw.trim() };
}

/** `PJSIP/judge1` → {technology: 'PJSIP', dialstring: 'judge1', resource: 'judge1'}; `PJSIP/1234@trunk` → resource `trunk`. */
export function parseEndpoint(endpoint: string): { technology: string; dialstring: string; resource: string } | null {
  const slash = endpoint.indexOf('/');
  if (slash <= 0 || slash === endpoint.length - 1) return null;
  const technology = endpoint.slice(0, slash);
  const dialstring = endpoint.slice(slash + 1);
  const at = dialstring.lastIndexOf('@');
  return { technology, dialstring, resource: at >= 0 ? dialstring.slice(at + 1) : dialstring };
}
