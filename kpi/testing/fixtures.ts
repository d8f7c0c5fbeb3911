/** A database with a court, a ticket service on a settable clock, for the kpi tests. */
import type { Database } from '../../platform/db/client.ts';
import { callEvidence } from '../../telephony/outbound/evidence.ts';
import { defaultChaseSettings } from '../../tickets/deadline.ts';
import { TicketService } from '../../tickets/service.ts';
import { seedCourt, silentLogger, useTicketsDatabase, type Court } from '../../tickets/testing/harness.ts';

export interface KpiFixture {
  database: Database;
  court: Court;
  service: TicketService;
  setNow(ms: number): void;
}

export async function useKpiFixture(): Promise<KpiFixture> {
  const database = await useTicketsDatabase();
  const court = await seedCourt(database);
  let now = Date.now();
  // Telephony's call records: a phone delivery counts only on a recorded call (tickets/testing/phone-delivery.ts).
  const service = new TicketService({ db: database.db, clock: { now: () => new Date(now) }, logger: silentLogger, chase: defaultChaseSettings, onCommit: () => undefined, phoneEvidence: callEvidence(database.db) });
  return { database, court, service, setNow: (ms) => void (now = ms) };
}
