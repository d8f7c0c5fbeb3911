import dayjs from 'dayjs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { kpiParams, type KpiTable } from '../../api/kpi.ts';
import { useRealtimeEvents } from '../../realtime/RealtimeProvider.tsx';
import { useApi } from '../../session/SessionProvider.tsx';
import type { QueueBucket } from './HourlyChart.tsx';

export interface QueueSnapshot {
  waiting: Array<{ callId: string; position: number; waitedMs: number }>;
  operators: Array<{ userId: string; state: string; reason: string | null; since: string | null; skills: string[] }>;
}

export interface Wallboard {
  queue?: QueueSnapshot;
  /** When the queue snapshot was taken (its waits grow from there). */
  queueAt: number;
  /** Why there is no queue: telephony is not running (404), or this role may not read it (403). */
  queueUnavailable: false | 'not_running' | 'forbidden';
  /** Today's figures by the hour (the total is the whole day so far). */
  today?: KpiTable;
  /** Today's queue, per hour: the most callers waiting at once. */
  queueByHour?: QueueBucket[];
  at?: number;
  /**
   * What could not be refreshed at its last try (a server error, the network): the wallboard says so, with the time
   * of the numbers still shown (`since`, undefined when none ever came), rather than keep showing them as current.
   */
  stale: { queue?: { since?: number }; figures?: { since?: number } };
}

const queueEvents = ['call.offered', 'call.answered', 'call.ended', 'presence.changed', 'resync'];
const figuresEvents = ['call.ended', 'ticket.replied', 'resync'];

/**
 * The live wallboard's data: the queue and operators' states (GET /api/telephony/queue), fetched again
 * shortly after each call or presence event and every 15 s; today's KPI figures by the hour (GET /api/kpi/figures
 * for the China day) and the queue's hourly peak (GET /api/kpi/queue-length), every 30 s and after calls end.
 */
export function useWallboard(): Wallboard {
  const api = useApi();
  const [board, setBoard] = useState<Wallboard>({ queueAt: Date.now(), queueUnavailable: false, stale: {} });
  // When the figures were last read whole (the queue's time is `queueAt`, of a queue read).
  const figuresAt = useRef<number>(undefined);
  const timers = useRef<{ queue?: ReturnType<typeof setTimeout>; figures?: ReturnType<typeof setTimeout> }>({});

  const loadQueue = useCallback(async () => {
    try {
      const queue = await api.get<QueueSnapshot>('/api/telephony/queue');
      setBoard((b) => ({ ...b, queue, queueAt: Date.now(), queueUnavailable: false, at: Date.now(), stale: { ...b.stale, queue: undefined } }));
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 403)) setBoard((b) => ({ ...b, queueUnavailable: err.status === 404 ? 'not_running' : 'forbidden', stale: { ...b.stale, queue: undefined } }));
      else setBoard((b) => ({ ...b, stale: { ...b.stale, queue: { since: b.queue ? b.queueAt : undefined } } }));
    }
  }, [api]);
  const loadFigures = useCallback(async () => {
    const day = dayjs().startOf('day');
    const span = { from: day, to: day.add(1, 'day') };
    const [today, queue] = await Promise.all([
      api.get<KpiTable>(`/api/kpi/figures?${kpiParams(span, { grain: 'hour', by: 'court' })}`).catch(() => undefined),
      api.get<{ buckets: QueueBucket[] }>(`/api/kpi/queue-length?${kpiParams(span, { stepMinutes: 60 })}`).catch(() => undefined),
    ]);
    // Both or it is stale: today's rates and the queue's hourly peak are one card; what did come is shown.
    if (today && queue) figuresAt.current = Date.now();
    const stale = today && queue ? undefined : { since: figuresAt.current };
    setBoard((b) => ({ ...b, ...(today ? { today, at: Date.now() } : {}), queueByHour: queue?.buckets ?? b.queueByHour, stale: { ...b.stale, figures: stale } }));
  }, [api]);

  useEffect(() => {
    void loadQueue();
    void loadFigures();
    const queueTimer = setInterval(() => void loadQueue(), 15_000);
    const figuresTimer = setInterval(() => void loadFigures(), 30_000);
    return () => {
      clearInterval(queueTimer);
      clearInterval(figuresTimer);
      clearTimeout(timers.current.queue);
      clearTimeout(timers.current.figures);
    };
  }, [loadQueue, loadFigures]);

  // A burst of events (a call offered, rung, answered) gives one fetch, not one each.
  useRealtimeEvents(queueEvents, () => {
    clearTimeout(timers.current.queue);
    timers.current.queue = setTimeout(() => void loadQueue(), 300);
  });
  useRealtimeEvents(figuresEvents, () => {
    clearTimeout(timers.current.figures);
    timers.current.figures = setTimeout(() => void loadFigures(), 2000);
  });
  return board;
}
