import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../api/audit/audit.sql.ts';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { afterFile } from '../../test/harness/after-file.ts';
import { startAriSim } from '../ari-sim/index.ts';
import { applyEndpoints } from './apply.ts';
import { pjsipUsersFile } from './write-config.ts';

/** Issue 21: the SIP endpoints page's routes, against a real database, a real HTTP server and the ARI stand-in. */
const secret = 'endpoints-page-test-secret-01';
const dir = mkdtempSync(join(tmpdir(), 'hotline-endpoints-page-'));
const sim = await startAriSim({ username: 'hotline', password: 'ari-secret' });
afterFile(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});
const api = await useApi({ HOTLINE_SIP_PASSWORD_SECRET: secret, TELEPHONY_ASTERISK_CONFIG_DIR: dir, ARI_URL: sim.url, ARI_USERNAME: 'hotline', ARI_PASSWORD: 'ari-secret' });
let a: SeededCourt;
let b: SeededCourt;
let adminA: string;

type Overview = { asterisk: { reachable: boolean }; deploymentPending: number; ringGroupPending: boolean; endpoints: { name: string; kind: string; state: string; pendingReason: string | null; registered: boolean | null }[] };
const overview = async (cookie = adminA) => {
  const res = await call(api.url, 'GET', '/api/telephony/sip-endpoints', { cookie });
  expect(res.status).toBe(200);
  return res.body as Overview;
};
const stateOf = (o: Overview, name: string) => o.endpoints.find((e) => e.name === name);
const apply = () => call(api.url, 'POST', '/api/telephony/sip-endpoints/apply', { cookie: adminA });
let operatorEndpoint: string;
const opA = () => operatorEndpoint;

beforeAll(async () => {
  a = await seedCourt(api.deps.db);
  b = await seedCourt(api.deps.db);
  adminA = await sessionCookieFor(api.deps.db, a.users.admin.id);
  operatorEndpoint = (await api.deps.db.execute<{ sip_endpoint: string }>(sql`select sip_endpoint from platform.users where id = ${a.users.operator.id}`)).rows[0]!.sip_endpoint;
});

describe('SIP endpoints page routes', () => {
  it('lists the court’s endpoints as pending, applies them (files + reload), then shows them applied and registered', async () => {
    const before = await overview();
    expect(before.asterisk.reachable).toBe(true);
    expect(stateOf(before, opA())).toMatchObject({ kind: 'operator', state: 'pending', pendingReason: 'new', registered: null });
    expect(stateOf(before, 'ext-8001')).toMatchObject({ kind: 'department', state: 'pending', pendingReason: 'new' });
    // Court B's operator is not court A's to see; the judges' mobile numbers get no endpoint.
    expect(before.endpoints.map((e) => e.name).sort()).toEqual(['ext-8001', opA()].sort());
    expect(before.deploymentPending).toBeGreaterThanOrEqual(3);

    const res = await apply();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'reloaded', error: null, files: [join(dir, pjsipUsersFile), join(dir, 'extensions_hotline_users.conf')] });
    expect(res.body.operators).toBeGreaterThanOrEqual(2);
    expect(sim.asterisk.reloads.map((r) => r.module)).toEqual(['res_pjsip.so', 'pbx_config.so']);
    const file = readFileSync(join(dir, pjsipUsersFile), 'utf8');
    expect(file).toContain(`[${opA()}](operator-endpoint)`);
    expect(file).toMatch(/password_digest = MD5:[0-9a-f]{32}/);
    // Audited with its outcome, no password.
    const entries = await api.deps.db.select().from(auditLog).where(and(eq(auditLog.actorUserId, a.users.admin.id), sql`${auditLog.detail}->>'change' = 'sip_endpoints.applied'`));
    expect(entries.find((e) => e.courtId === a.courtId)!.detail).toMatchObject({ outcome: 'reloaded' });
    expect(entries.find((e) => e.courtId === a.courtId)!.detail).not.toHaveProperty('actingCourtId');
    // Court B's endpoints were rewritten too: its own trail says so and names the court that applied.
    expect(entries.find((e) => e.courtId === b.courtId)!.detail).toMatchObject({ outcome: 'reloaded', actingCourtId: a.courtId });
    expect(entries.filter((e) => e.courtId === a.courtId)).toHaveLength(1);

    // The stand-in reads no files: it is told what Asterisk now has (the softphone registered, the desk phone not).
    sim.endpoint(opA()).register();
    sim.endpoint('ext-8001').unregister();
    const after = await overview();
    expect(stateOf(after, opA())).toMatchObject({ state: 'applied', pendingReason: null, registered: true });
    expect(stateOf(after, 'ext-8001')).toMatchObject({ state: 'applied', registered: false });
    expect(after.deploymentPending).toBe(0);
    expect(after.ringGroupPending).toBe(false);

    // Real Asterisk's reload time has whole seconds (and another host's clock): one truncated to the second, behind
    // the file's mtime, still shows applied, since the files hash as they did at the reload Asterisk accepted.
    const mtime = statSync(join(dir, pjsipUsersFile)).mtimeMs;
    sim.asterisk.lastReloadTime = new Date(Math.floor(mtime / 1000) * 1000 - 1000).toISOString().replace('Z', '+0000');
    expect(stateOf(await overview(), opA())).toMatchObject({ state: 'applied' });
  });

  it('a rotated password is pending until applied; a deactivated operator shows as to be removed', async () => {
    expect((await call(api.url, 'POST', `/api/users/${a.users.operator.id}/sip-password`, { cookie: adminA })).status).toBe(200);
    expect(stateOf(await overview(), opA())).toMatchObject({ state: 'pending', pendingReason: 'changed' });
    expect((await apply()).body.outcome).toBe('reloaded');
    expect(stateOf(await overview(), opA())).toMatchObject({ state: 'applied' });

    await api.deps.db.execute(sql`update platform.users set active = false where id = ${a.users.operator.id}`);
    const o = await overview();
    expect(stateOf(o, opA())).toMatchObject({ state: 'removed', kind: 'operator' });
    expect(o.ringGroupPending).toBe(true);
    expect((await apply()).body.outcome).toBe('reloaded');
    expect(stateOf(await overview(), opA())).toBeUndefined();
    expect(readFileSync(join(dir, pjsipUsersFile), 'utf8')).not.toContain(`[${opA()}]`);
    await api.deps.db.execute(sql`update platform.users set active = true where id = ${a.users.operator.id}`);
  });

  it('two admins applying at once: one write and reload at a time, both answered', async () => {
    const adminB = await sessionCookieFor(api.deps.db, b.users.admin.id);
    sim.asterisk.reloads.length = 0;
    const [one, two] = await Promise.all([apply(), call(api.url, 'POST', '/api/telephony/sip-endpoints/apply', { cookie: adminB })]);
    expect([one.status, two.status]).toEqual([200, 200]);
    expect([one.body.outcome, two.body.outcome]).toEqual(['reloaded', 'reloaded']);
    // Each apply's two reloads are together: the second waited for the first to finish.
    expect(sim.asterisk.reloads.map((r) => r.module)).toEqual(['res_pjsip.so', 'pbx_config.so', 'res_pjsip.so', 'pbx_config.so']);
  });

  it('Asterisk away: the files are written and the answer says so; they count as applied once Asterisk has started again', async () => {
    await sim.stopAsterisk();
    // Files that differ from what Asterisk last took (a new desk phone in court B: the files are the deployment's).
    await api.deps.db.execute(sql`update platform.departments set extension = '8122' where id = ${b.departmentIds[0]}`);
    const res = await apply();
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('asterisk_unreachable');
    expect(res.body.error).toContain('did not answer');
    const away = await overview();
    expect(away.asterisk.reachable).toBe(false);
    expect(stateOf(away, opA())).toMatchObject({ state: 'written', registered: null });
    const written = statSync(join(dir, pjsipUsersFile)).mtimeMs;

    await new Promise((resolve) => setTimeout(resolve, 20));
    await sim.startAsterisk();
    expect(Date.parse(sim.asterisk.startupTime.replace(/(\d\d)(\d\d)$/, '$1:$2'))).toBeGreaterThan(written);
    expect(stateOf(await overview(), opA())).toMatchObject({ state: 'applied' });
    const entries = await api.deps.db.select().from(auditLog).where(sql`${auditLog.detail}->>'outcome' = 'asterisk_unreachable' and ${auditLog.courtId} = ${a.courtId}`);
    expect(entries).toHaveLength(1);
  });

  it('Asterisk refusing the reload is not a success; a directory that cannot be written changes nothing', async () => {
    sim.asterisk.modules.delete('pbx_config.so');
    const refused = await apply();
    expect(refused.body).toMatchObject({ outcome: 'reload_refused' });
    expect(refused.body.error).toContain('pbx_config.so: HTTP 404');
    sim.asterisk.modules.add('pbx_config.so');

    await api.deps.db.execute(sql`update platform.departments set extension = '8123' where id = ${b.departmentIds[0]}`);
    await expect(applyEndpoints(api.deps.db, { secret, dir: join(dir, 'missing'), ari: null })).rejects.toMatchObject({ code: 'ENOENT' });
    // The password issued on the way was committed before any file (it goes into the next apply's files); none were written.
    expect((await api.deps.db.execute(sql`select 1 from platform.sip_credentials where endpoint = 'ext-8123'`)).rows).toHaveLength(1);
    expect(readFileSync(join(dir, pjsipUsersFile), 'utf8')).not.toContain('[ext-8123]');
  });

  it('passwords are issued and committed before the files: a commit that fails leaves the files as they were', async () => {
    await api.deps.db.execute(sql`update platform.departments set extension = '8124' where id = ${b.departmentIds[0]}`);
    const before = readFileSync(join(dir, pjsipUsersFile), 'utf8');
    // A real PostgreSQL failure at commit: a deferred constraint trigger refuses the new desk phone's password.
    await api.deps.db.execute(sql.raw(`create function platform.test_refuse_password() returns trigger language plpgsql as $$ begin raise exception 'commit refused'; end $$;
      create constraint trigger test_refuse_password after insert on platform.sip_credentials deferrable initially deferred for each row when (new.endpoint = 'ext-8124') execute function platform.test_refuse_password();`));
    try {
      await expect(applyEndpoints(api.deps.db, { secret, dir, ari: null })).rejects.toThrow();
      expect((await api.deps.db.execute(sql`select 1 from platform.sip_credentials where endpoint = 'ext-8124'`)).rows).toHaveLength(0);
      expect(readFileSync(join(dir, pjsipUsersFile), 'utf8')).toBe(before);
    } finally {
      await api.deps.db.execute(sql.raw('drop trigger test_refuse_password on platform.sip_credentials; drop function platform.test_refuse_password();'));
    }
    expect((await applyEndpoints(api.deps.db, { secret, dir, ari: null })).outcome).toBe('not_reloaded');
    expect(readFileSync(join(dir, pjsipUsersFile), 'utf8')).toContain('[ext-8124]');
  });

  it('other roles are refused', async () => {
    for (const role of ['operator', 'manager', 'judge'] as const) {
      const cookie = await sessionCookieFor(api.deps.db, a.users[role].id);
      expect((await call(api.url, 'GET', '/api/telephony/sip-endpoints', { cookie })).status).toBe(403);
      expect((await call(api.url, 'POST', '/api/telephony/sip-endpoints/apply', { cookie })).status).toBe(403);
    }
  });
});
