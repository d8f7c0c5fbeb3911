import type { OutboundRecord } from '../outbound/records.ts';
import type { JournalRecord } from './records.ts';
import { leaves, legFields, outboundLegFields, type SealLeaf } from './seal.ts';

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/**
 * The leaves of a batch, as writeRecords lands it: one per call start, per call's first close in the batch (plus
 * the row a close may re-create), per call event, per transfer leg (its records folded as the
 * row folds them), per outbound leg and per outbound status. Presence is not behind a figure and not sealed.
 */
export function recordLeaves(records: readonly JournalRecord[]): SealLeaf[] {
  const out: SealLeaf[] = [];
  const startedCourt = new Map<string, string | null>();
  const closed = new Set<string>();
  const legs = new Map<string, Extract<JournalRecord, { kind: 'transfer_leg' }>>();
  for (const r of records) {
    switch (r.kind) {
      case 'call_started':
        startedCourt.set(r.id, r.courtId);
        out.push({ courtId: r.courtId, key: `call:${r.id}`, hash: leaves.callStart({ ...r, arrivedAt: iso(r.arrivedAt)! }) });
        break;
      case 'call_event':
        out.push({
          courtId: r.courtId,
          key: `event:${r.id}`,
          hash: leaves.event({ id: r.id, callId: r.callId, courtId: r.courtId, at: iso(r.at)!, seq: r.seq, kind: r.event, operatorId: r.operatorId, data: r.data }),
        });
        break;
      case 'transfer_leg': {
        const key = `${r.callId}/${r.seq}`;
        const seen = legs.get(key);
        legs.set(key, seen ? { ...seen, answeredAt: seen.answeredAt ?? r.answeredAt, endedAt: seen.endedAt ?? r.endedAt, outcome: seen.outcome ?? r.outcome } : r);
        break;
      }
      default:
        break;
    }
  }
  for (const r of records) {
    if (r.kind !== 'call_closed' || closed.has(r.callId)) continue;
    closed.add(r.callId);
    const s = r.summary;
    const started = startedCourt.has(r.callId);
    const courtId = started ? startedCourt.get(r.callId)! : (r.row?.courtId ?? null);
    if (!started && r.row) {
      // A close that may re-create its row (a repair) seals the row's start too; the same leaf as the start's.
      out.push({
        courtId,
        key: `call:${r.callId}`,
        hash: leaves.callStart({ id: r.callId, courtId: r.row.courtId, channelId: r.row.channelId, callerNumber: r.row.callerNumber, dialled: r.row.dialled, arrivedAt: iso(r.arrivedAt)! }),
      });
    }
    out.push({
      courtId,
      key: `close:${r.callId}`,
      hash: leaves.close({
        callId: r.callId,
        outcome: s.outcome,
        hangupBy: s.hangupBy,
        endedAt: iso(r.endedAt),
        inHours: s.inHours,
        skill: s.skill,
        queuedAt: iso(s.queuedAt),
        answeredAt: iso(s.answeredAt),
        answeredBy: s.answeredBy,
      }),
    });
  }
  for (const l of legs.values()) {
    const fields = legFields({ ...l, startedAt: iso(l.startedAt)!, answeredAt: iso(l.answeredAt), endedAt: iso(l.endedAt) });
    out.push({ courtId: l.courtId, key: `leg:${l.callId}/${l.seq}`, hash: leaves.leg(fields) });
  }
  for (const r of records as readonly { kind: string }[]) {
    if (r.kind === 'outbound_leg') {
      const l = r as Extract<OutboundRecord, { kind: 'outbound_leg' }>;
      const fields = outboundLegFields({ ...l, startedAt: iso(l.startedAt)!, answeredAt: iso(l.answeredAt), endedAt: iso(l.endedAt)! });
      out.push({ courtId: l.courtId, key: `outleg:${l.id}`, hash: leaves.outboundLeg(fields) });
    } else if (r.kind === 'outbound_status') {
      const s = r as Extract<OutboundRecord, { kind: 'outbound_status' }>;
      const final = s.status === 'completed' || s.status === 'unreachable' || s.status === 'failed';
      const at = iso(s.at)!;
      out.push({
        courtId: null,
        key: `outstatus:${s.outboundId}`,
        hash: leaves.outboundStatus({ outboundId: s.outboundId, status: s.status, attempts: s.attempts, nextAttemptAt: iso(s.nextAttemptAt), result: s.result, detail: s.detail, finishedAt: final ? at : null, updatedAt: at }),
      });
      if (s.satisfaction !== null) out.push({ courtId: null, key: `satisfaction:${s.outboundId}`, hash: leaves.satisfaction(s.outboundId, s.satisfaction) });
    }
  }
  return out;
}
