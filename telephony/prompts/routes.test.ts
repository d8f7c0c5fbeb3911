import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../api/audit/audit.sql.ts';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { prompts } from '../menu.ts';
import { wavDurationMs } from './wav-duration.ts';
import { courtPrompts } from './prompts.sql.ts';
import { shippedPromptsDir } from './routes.ts';

/** Voice prompts as a court admin's setting: upload or words, converted, validated, audited, court-scoped, reverted. */
const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '1000' });
let a: SeededCourt;
let b: SeededCourt;
const cookie = {} as Record<'adminA' | 'managerA' | 'operatorA' | 'judgeA' | 'adminB', string>;
const dir = mkdtempSync(join(tmpdir(), 'hotline-prompts-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Audio files made by sox from a shipped prompt: what an admin might have at hand. */
function fixture(name: string, rate: number, ...effects: string[]): Buffer {
  const path = join(dir, name);
  execFileSync('sox', [join(shippedPromptsDir, 'goodbye.wav'), '-r', String(rate), '-c', rate > 8000 ? '2' : '1', path, ...effects]);
  return readFileSync(path);
}
let mp3: Buffer;
let ogg: Buffer;
let long: Buffer;
let huge: Buffer;

beforeAll(async () => {
  a = await seedCourt(api.deps.db);
  b = await seedCourt(api.deps.db);
  cookie.adminA = await sessionCookieFor(api.deps.db, a.users.admin.id);
  cookie.managerA = await sessionCookieFor(api.deps.db, a.users.manager.id);
  cookie.operatorA = await sessionCookieFor(api.deps.db, a.users.operator.id);
  cookie.judgeA = await sessionCookieFor(api.deps.db, a.users.judge.id);
  cookie.adminB = await sessionCookieFor(api.deps.db, b.users.admin.id);
  mp3 = fixture('goodbye.mp3', 44100);
  ogg = fixture('goodbye.ogg', 44100);
  long = fixture('long.wav', 8000, 'repeat', '20'); // ~21 × 4.7 s: past the 60 s limit
  huge = fixture('huge.wav', 48000, 'repeat', '30'); // past the 12 MB upload limit
});

const as = (who: keyof typeof cookie, method: string, path: string, body?: unknown) => call(api.url, method, `/api${path}`, { cookie: cookie[who], ...(body !== undefined ? { body } : {}) });
const upload = (who: keyof typeof cookie, name: string, fileName: string, bytes: Buffer) => as(who, 'PUT', `/telephony/prompts/${name}/recording`, { fileName, audioBase64: bytes.toString('base64') });
const rowOf = async (courtId: string, prompt: string) => (await api.deps.db.select().from(courtPrompts).where(and(eq(courtPrompts.courtId, courtId), eq(courtPrompts.prompt, prompt))))[0];
async function bytesOf(path: string, cookieValue?: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await fetch(`${api.url}${path}`, { headers: cookieValue ? { cookie: cookieValue } : {} });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}
/** 8 kHz, mono, 16-bit PCM: what Asterisk plays without transcoding. */
function expectAsteriskWav(wav: Buffer): void {
  expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
  expect(wav.readUInt16LE(20)).toBe(1); // PCM
  expect(wav.readUInt16LE(22)).toBe(1); // mono
  expect(wav.readUInt32LE(24)).toBe(8000);
  expect(wav.readUInt16LE(34)).toBe(16);
}

describe('voice prompts', () => {
  it("lists every prompt the controller plays with its shipped words; the admin uploads an mp3, hears it converted, Asterisk fetches it by hash, and it is audited", async () => {
    const listed = await as('adminA', 'GET', '/telephony/prompts');
    expect(listed.status).toBe(200);
    expect(listed.body.prompts.map((p: { name: string }) => p.name)).toEqual([...prompts]);
    expect(listed.body.prompts.find((p: { name: string }) => p.name === 'welcome')).toMatchObject({ shippedText: expect.stringContaining('12368'.replace(/./g, (d) => '零一二三四五六七八九'[Number(d)]!)), custom: null });
    expect(listed.body).toMatchObject({ maxSeconds: 60, formats: expect.arrayContaining(['wav', 'mp3', 'ogg']) });

    const set = await upload('adminA', 'welcome', '欢迎词.mp3', mp3);
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ name: 'welcome', custom: { source: 'upload', fileName: '欢迎词.mp3', text: null, updatedBy: a.users.admin.id } });
    expect(set.body.custom.durationMs).toBeGreaterThan(4000);
    expect(set.body.custom.durationMs).toBeLessThan(6000);
    const row = (await rowOf(a.courtId, 'welcome'))!;
    expectAsteriskWav(row.audio);
    expect(row.sha256).toBe(set.body.custom.sha256);

    // The preview: what this court's callers hear now.
    const preview = await bytesOf('/api/telephony/prompts/welcome/audio', cookie.adminA);
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toBe('audio/wav');
    expect(preview.bytes.equals(row.audio)).toBe(true);
    // The shipped one stays available beside it.
    expect((await bytesOf('/api/telephony/prompts/welcome/audio?shipped=1', cookie.adminA)).bytes.equals(readFileSync(join(shippedPromptsDir, 'welcome.wav')))).toBe(true);

    // Asterisk's fetch: no session, immutable by its hash.
    const fetched = await bytesOf(`/api/telephony/prompt-audio/${row.sha256}.wav`);
    expect(fetched.status).toBe(200);
    expect(fetched.bytes.equals(row.audio)).toBe(true);
    expect(fetched.headers.get('cache-control')).toContain('immutable');
    expect(fetched.headers.get('etag')).toBe(`"${row.sha256}"`);
    expect((await bytesOf(`/api/telephony/prompt-audio/${'0'.repeat(64)}.wav`)).status).toBe(404);
    expect((await bytesOf('/api/telephony/prompt-audio/..%2F..%2Fetc%2Fpasswd')).status).toBe(400);

    // An ogg as well.
    const fromOgg = await upload('adminA', 'menu', 'menu.ogg', ogg);
    expect(fromOgg.status).toBe(200);
    expectAsteriskWav((await rowOf(a.courtId, 'menu'))!.audio);

    await expect
      .poll(async () => (await api.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'admin.action'), eq(auditLog.actorUserId, a.users.admin.id)))).map((e) => e.detail))
      .toContainEqual(expect.objectContaining({ method: 'PUT', route: '/api/telephony/prompts/:name/recording', status: 200 }));
  });

  it('speaks typed words with espeak-ng into an 8 kHz prompt', async () => {
    const text = '您好，欢迎致电人民法院诉讼服务热线，本院地址已变更。';
    const set = await as('adminA', 'PUT', '/telephony/prompts/goodbye/text', { text });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ name: 'goodbye', custom: { source: 'text', text, fileName: null } });
    const row = (await rowOf(a.courtId, 'goodbye'))!;
    expectAsteriskWav(row.audio);
    expect(wavDurationMs(row.audio)).toBe(set.body.custom.durationMs);
    expect(set.body.custom.durationMs).toBeGreaterThan(2000);
  });

  it('refuses what is not usable audio with a clear 400 and changes nothing', async () => {
    const before = (await rowOf(a.courtId, 'welcome'))!;
    const refusals: Array<[string, Promise<Awaited<ReturnType<typeof as>>>]> = [
      ['bad_audio', upload('adminA', 'welcome', 'fake.wav', Buffer.from('this is not a wav file at all'))],
      ['bad_audio', upload('adminA', 'welcome', 'fake.mp3', Buffer.from('ID3 no frames here'))],
      ['unsupported_audio_format', upload('adminA', 'welcome', 'virus.exe', mp3)],
      ['unsupported_audio_format', upload('adminA', 'welcome', 'no-ending', mp3)],
      ['audio_too_long', upload('adminA', 'welcome', 'long.wav', long)],
      ['invalid_input', as('adminA', 'PUT', '/telephony/prompts/welcome/text', { text: '   ' })],
      ['invalid_input', as('adminA', 'PUT', '/telephony/prompts/welcome/text', { text: '长'.repeat(301) })],
      ['invalid_input', as('adminA', 'PUT', '/telephony/prompts/no-such-prompt/text', { text: '你好' })],
      ['invalid_input', as('adminA', 'PUT', '/telephony/prompts/welcome/recording', { fileName: 'a.wav', audioBase64: '!!!' })],
    ];
    for (const [code, pending] of refusals) {
      const res = await pending;
      expect(res.status, code).toBe(400);
      expect(res.body).toMatchObject({ code, message: expect.any(String) });
    }
    const tooLarge = await upload('adminA', 'welcome', 'huge.wav', huge);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.code).toBe('body_too_large');
    const after = (await rowOf(a.courtId, 'welcome'))!;
    expect(after.sha256).toBe(before.sha256);
    expect(after.updatedAt).toEqual(before.updatedAt);
  });

  it('other roles get 403; another court neither sees nor reverts this court’s prompt; the admin reverts to the shipped one', async () => {
    for (const who of ['operatorA', 'managerA', 'judgeA'] as const) {
      expect((await as(who, 'GET', '/telephony/prompts')).status).toBe(403);
      expect((await as(who, 'GET', '/telephony/prompts/welcome/audio')).status).toBe(403);
      expect((await upload(who, 'welcome', 'x.mp3', mp3)).status).toBe(403);
      expect((await as(who, 'PUT', '/telephony/prompts/welcome/text', { text: '你好' })).status).toBe(403);
      expect((await as(who, 'DELETE', '/telephony/prompts/welcome')).status).toBe(403);
    }
    const ownA = (await rowOf(a.courtId, 'welcome'))!;
    const seenByB = await as('adminB', 'GET', '/telephony/prompts');
    expect(seenByB.body.prompts.every((p: { custom: unknown }) => p.custom === null)).toBe(true);
    expect((await bytesOf('/api/telephony/prompts/welcome/audio', cookie.adminB)).bytes.equals(readFileSync(join(shippedPromptsDir, 'welcome.wav')))).toBe(true);
    const revertByB = await as('adminB', 'DELETE', '/telephony/prompts/welcome');
    expect(revertByB.status).toBe(404);
    expect(revertByB.body.code).toBe('prompt_not_replaced');
    expect((await rowOf(a.courtId, 'welcome'))!.sha256).toBe(ownA.sha256);

    const reverted = await as('adminA', 'DELETE', '/telephony/prompts/welcome');
    expect(reverted.status).toBe(200);
    expect(reverted.body).toMatchObject({ name: 'welcome', custom: null });
    expect(await rowOf(a.courtId, 'welcome')).toBeUndefined();
    expect((await bytesOf('/api/telephony/prompts/welcome/audio', cookie.adminA)).bytes.equals(readFileSync(join(shippedPromptsDir, 'welcome.wav')))).toBe(true);
    expect((await bytesOf(`/api/telephony/prompt-audio/${ownA.sha256}.wav`)).status).toBe(404);
    expect((await as('adminA', 'DELETE', '/telephony/prompts/welcome')).status).toBe(404);
  });
});
