import { and, eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { departments, users } from '../../platform/directory.sql.ts';
import { sipCredentials } from '../../platform/sip-credentials.sql.ts';
import { usersFilesHash } from './apply.ts';
import { sipEndpointsApplied } from './applied.sql.ts';
import { asteriskView, type AriAccess } from './asterisk-rest.ts';
import { deskEndpoint, isDeskExtension } from './dial-target.ts';
import { openSipPassword } from './sip-password-seal.ts';
import { renderUsersConfig } from './users-config.ts';
import { readEndpointUsers } from './users-source.ts';
import { readUsersConfig } from './write-config.ts';

/**
 * - `applied`: the file holds what the database says, and Asterisk took it: the files hash as they did at the last
 *   reload Asterisk accepted, or Asterisk (re)started after they were written (it reads them at start);
 * - `written`: the file holds it, but Asterisk has not reloaded since (or could not be asked);
 * - `pending`: the database differs from the file (`new`: not in it; `changed`: password, name or owner changed);
 * - `removed`: still in the file, no longer in the database (user deactivated, extension changed): goes at the next apply.
 */
export type EndpointState = 'applied' | 'written' | 'pending' | 'removed';

export interface EndpointStatus {
  name: string;
  kind: 'operator' | 'judge' | 'department';
  /** Whose: the operator's or judge's display name, the department's name. */
  label: string;
  state: EndpointState;
  pendingReason: 'new' | 'changed' | null;
  /** Online in Asterisk now (a registered phone); null when Asterisk could not be asked or does not know it. */
  registered: boolean | null;
}

export interface EndpointsOverview {
  dir: string;
  /** HOTLINE_SIP_PASSWORD_SECRET is set: without it nothing can be applied. */
  secretSet: boolean;
  filesWrittenAt: Date | null;
  asterisk: { reachable: boolean; lastReloadAt: Date | null; error: string | null };
  /** Endpoints of the whole deployment (every court) whose file entry differs from the database. */
  deploymentPending: number;
  /** The fallback ring group (every operator) differs from the database. */
  ringGroupPending: boolean;
  endpoints: EndpointStatus[];
}

/** Endpoint name → its block of the PJSIP file (from its `; operator …` / `; desk phone …` comment to the blank line). */
function blocks(pjsip: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const chunk of pjsip.split(/\n\n+/)) {
    const name = /^\[([^\]\s]+)\]\((?:operator|judge)-endpoint\)$/m.exec(chunk)?.[1];
    if (name) out.set(name, chunk.trim());
  }
  return out;
}

/**
 * A court's endpoints as the database has them, each compared with the files and with Asterisk. Issues no password:
 * an endpoint whose password has not been issued yet (or no longer opens) shows as pending, and the apply issues it.
 */
export async function endpointsOverview(db: Db, o: { courtId: string; secret: string | undefined; dir: string; ari: AriAccess }): Promise<EndpointsOverview> {
  const [source, creds, view, [lastApplied]] = await Promise.all([readEndpointUsers(db), db.select().from(sipCredentials), asteriskView(o.ari), db.select().from(sipEndpointsApplied)]);
  const file = readUsersConfig(o.dir);
  const sealed = new Map(creds.map((c) => [c.endpoint, c]));
  const passwordOf = (endpoint: string, userId: string | null): string => {
    const row = sealed.get(endpoint);
    if (!o.secret || !row || row.userId !== userId) return '';
    try {
      return openSipPassword(o.secret, endpoint, row.sealed);
    } catch {
      return '';
    }
  };
  const owners = new Map(source.operators.map((op) => [op.sipEndpoint, op.userId]));
  // A password not issued renders as an empty digest input: never what the file holds, so the endpoint shows pending.
  const expected = renderUsersConfig(source.operators, source.desks, (endpoint) => passwordOf(endpoint, owners.get(endpoint) ?? null) || `\u0000unissued`);
  const want = blocks(expected.pjsip);
  const have = blocks(file.pjsip);
  // Hashes first: Asterisk's reload time has whole-second steps and another host's clock, so an apply within the
  // second would otherwise look unloaded. The clock stays for a start of Asterisk after files written while it was away.
  const loaded =
    (lastApplied !== undefined && file.writtenAt !== null && lastApplied.filesHash === usersFilesHash(file.pjsip, file.extensions)) ||
    (view.lastReloadAt !== null && file.writtenAt !== null && view.lastReloadAt.getTime() >= file.writtenAt.getTime());
  const state = (name: string): Pick<EndpointStatus, 'state' | 'pendingReason'> => {
    if (!have.has(name)) return { state: 'pending', pendingReason: 'new' };
    if (have.get(name) !== want.get(name)) return { state: 'pending', pendingReason: 'changed' };
    return { state: loaded ? 'applied' : 'written', pendingReason: null };
  };
  const registered = (name: string) => view.online?.get(name) ?? null;

  const list: EndpointStatus[] = [];
  const seen = new Set<string>();
  const add = (name: string, kind: EndpointStatus['kind'], label: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    list.push({ name, kind, label, ...state(name), registered: registered(name) });
  };
  for (const op of source.operators.filter((x) => x.courtId === o.courtId)) add(op.sipEndpoint, 'operator', op.displayName);
  for (const d of source.desks.filter((x) => x.courtId === o.courtId && isDeskExtension(x.extension))) add(deskEndpoint(d.extension), d.kind, d.label);

  // In the file, gone from the database: this court's when one of its users or departments (active or not) had it.
  const gone = [...have.keys()].filter((name) => !want.has(name));
  if (gone.length > 0) {
    const extensions = gone.filter((n) => n.startsWith('ext-')).map((n) => n.slice(4));
    const [people, depts] = await Promise.all([
      db
        .select({ sipEndpoint: users.sipEndpoint, extension: users.extension, label: users.displayName, role: users.role })
        .from(users)
        .where(and(eq(users.courtId, o.courtId), or(inArray(users.sipEndpoint, gone), extensions.length > 0 ? inArray(users.extension, extensions) : undefined))),
      extensions.length > 0 ? db.select({ extension: departments.extension, label: departments.name }).from(departments).where(and(eq(departments.courtId, o.courtId), inArray(departments.extension, extensions))) : [],
    ]);
    const removed = (name: string, kind: EndpointStatus['kind'], label: string) => {
      if (!gone.includes(name) || seen.has(name)) return;
      seen.add(name);
      list.push({ name, kind, label, state: 'removed', pendingReason: null, registered: registered(name) });
    };
    for (const p of people) {
      if (p.sipEndpoint) removed(p.sipEndpoint, 'operator', p.label);
      if (p.extension) removed(deskEndpoint(p.extension), 'judge', p.label);
    }
    for (const d of depts) if (d.extension) removed(deskEndpoint(d.extension), 'department', d.label);
  }

  const deploymentPending = [...want.keys()].filter((n) => have.get(n) !== want.get(n)).length + gone.length;
  return {
    dir: o.dir,
    secretSet: Boolean(o.secret),
    filesWrittenAt: file.writtenAt,
    asterisk: { reachable: view.lastReloadAt !== null, lastReloadAt: view.lastReloadAt, error: view.error },
    deploymentPending,
    ringGroupPending: file.extensions !== expected.extensions,
    endpoints: list.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name)),
  };
}
