import type { CourtClues } from '../courts/court-directory.ts';
import { createHash } from 'node:crypto';
import type { CallOutcome, CloseSummary, HangupParty } from '../calls/types.ts';
import type { JournalRecord } from './records.ts';

/**
 * Calls Asterisk handled alone while the controller was not connected (extensions.conf [hotline-fallback]):
 * the CDR records cdr_custom writes (asterisk-config/cdr_custom.conf) become call rows. Pure: ids come from
 * Asterisk's linkedid, so importing the same records again yields the same rows (written once).
 */
export interface FallbackCdr {
  uniqueid: string;
  linkedid: string;
  /** Epoch milliseconds; answer is null when the record was never answered. */
  start: number;
  answer: number | null;
  end: number;
  src: string;
  dialled: string;
  channel: string;
  dstchannel: string;
  disposition: string;
  court: string;
  result: string;
  hangupSource: string;
  /** When an operator answered (epoch ms, set by the dialplan on the operator's answer); null if no one did. */
  operatorAnswered: number | null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const seconds = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) && n > 0 ? Math.round(n * 1000) : null;
};
const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** The fallback calls' records in a cdr_custom JSON-lines file; calls the controller ran are skipped, lines that cannot be read returned as they are. */
export function parseFallbackCdrs(content: string): { cdrs: FallbackCdr[]; malformed: string[] } {
  const cdrs: FallbackCdr[] = [];
  const malformed: string[] = [];
  for (const line of content.split('\n')) {
    if (line.trim() === '') continue;
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(line) as Record<string, unknown>;
    } catch {
      malformed.push(line);
      continue;
    }
    if (raw.hotline !== 'fallback') continue;
    const start = seconds(raw.start);
    const end = seconds(raw.end);
    if (start === null || end === null || !raw.linkedid) {
      malformed.push(line);
      continue;
    }
    cdrs.push({
      uniqueid: text(raw.uniqueid),
      linkedid: text(raw.linkedid),
      start,
      answer: seconds(raw.answer),
      end,
      src: text(raw.src),
      dialled: text(raw.dialled),
      channel: text(raw.channel),
      dstchannel: text(raw.dstchannel),
      disposition: text(raw.disposition),
      court: text(raw.court),
      result: text(raw.result),
      hangupSource: text(raw.hangup_source),
      operatorAnswered: seconds(raw.operator_answered),
    });
  }
  return { cdrs, malformed };
}

/** A stable UUID from a name (the same name always gives the same id). */
export function stableUuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** "PJSIP/op1001-0000000a" → "op1001". */
export function endpointOfChannel(channel: string): string | null {
  const m = /^PJSIP\/(.+)-[0-9a-f]{8}$/.exec(channel);
  return m ? m[1]! : null;
}

export interface FallbackContext {
  /** Operator user id by PJSIP endpoint name. */
  operatorByEndpoint: ReadonlyMap<string, string>;
  /** The court of a call (court-directory.ts): from the COURT_ID the dialplan noted, or the number dialled. */
  courtFor(clues: CourtClues): string | null;
  isOpen(courtId: string | null, at: Date): boolean;
  /** With several nodes (ARI_NODES): the node whose CDR this is, in the ids (two nodes may give the same linkedid). */
  node?: string;
}

/**
 * One call per linkedid (the caller's channel and every channel it dialled share it): a row, its events
 * (arrived, queued, answered when an operator picked up, hangup) and its close, all with stable ids.
 */
export function fallbackCallRecords(cdrs: FallbackCdr[], ctx: FallbackContext): JournalRecord[] {
  const calls = new Map<string, FallbackCdr[]>();
  for (const cdr of cdrs) calls.set(cdr.linkedid, [...(calls.get(cdr.linkedid) ?? []), cdr]);
  const records: JournalRecord[] = [];
  const origin = ctx.node ? `asterisk-fallback:${ctx.node}` : 'asterisk-fallback';
  for (const [linkedid, group] of calls) {
    const caller = group.find((c) => c.uniqueid === linkedid) ?? group[0]!;
    const arrivedAt = Math.min(...group.map((c) => c.start));
    const endedAt = Math.max(...group.map((c) => c.end));
    const callId = stableUuid(`${origin}:${linkedid}:${caller.channel}`);
    const courtId = ctx.courtFor({ courtId: uuidPattern.test(caller.court) ? caller.court : null, dialled: caller.dialled });
    const answered = group.find((c) => c.disposition === 'ANSWERED' && c.answer !== null && endpointOfChannel(c.dstchannel) !== null);
    const operatorEndpoint = answered ? endpointOfChannel(answered.dstchannel) : null;
    const operatorId = operatorEndpoint ? (ctx.operatorByEndpoint.get(operatorEndpoint) ?? null) : null;
    const hangupBy = hangupParty(group, caller.channel, operatorEndpoint);
    // The record's own answer time is the caller's Answer() before the notice: the dialplan notes the operator's.
    const operatorAnswered = group.map((c) => c.operatorAnswered).find((t) => t !== null) ?? null;
    const answeredAt = answered ? (operatorAnswered ?? answered.answer!) : null;
    const outcome: CallOutcome = answered ? 'answered' : hangupBy === 'caller' ? 'abandoned_in_queue' : 'failed';
    let seq = 0;
    const event = (at: number, kind: 'arrived' | 'queued' | 'answered' | 'hangup', data: Record<string, unknown>, operator: string | null = null): JournalRecord => ({
      kind: 'call_event',
      id: stableUuid(`${origin}:${linkedid}:${kind}`),
      callId,
      courtId,
      at,
      seq: ++seq,
      event: kind,
      operatorId: operator,
      data: { ...data, via: 'fallback' },
    });
    const row = { courtId, channelId: caller.uniqueid || linkedid, callerNumber: caller.src, dialled: caller.dialled };
    records.push({ kind: 'call_started', id: callId, ...row, arrivedAt });
    records.push(event(arrivedAt, 'arrived', { channelName: caller.channel }));
    records.push(event(arrivedAt, 'queued', { skill: 'general', reason: 'fallback' }));
    if (answeredAt !== null) records.push(event(answeredAt, 'answered', { waitedMs: answeredAt - arrivedAt, endpoint: operatorEndpoint }, operatorId));
    records.push(event(endedAt, 'hangup', { by: hangupBy, phase: 'fallback', ...(caller.result ? { result: caller.result } : {}) }));
    const summary: CloseSummary = {
      outcome,
      hangupBy,
      inHours: ctx.isOpen(courtId, new Date(arrivedAt)),
      skill: 'general',
      queuedAt: arrivedAt,
      answeredAt,
      answeredBy: operatorId,
    };
    records.push({ kind: 'call_closed', callId, arrivedAt, endedAt, summary, row });
  }
  return records;
}

/** From CHANNEL(hangupsource), recorded by the fallback's hangup handler: the channel that hung up first. */
function hangupParty(group: FallbackCdr[], callerChannel: string, operatorEndpoint: string | null): HangupParty {
  const source = group.map((c) => c.hangupSource).find((s) => s !== '') ?? '';
  if (source === callerChannel) return 'caller';
  const endpoint = endpointOfChannel(source);
  if (endpoint !== null && endpoint === operatorEndpoint) return 'operator';
  return 'system';
}
