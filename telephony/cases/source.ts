import { eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db/client.ts';
import { HotlineError } from '../../platform/errors.ts';
import { openSecretText, sealSecretText } from '../endpoints/sip-password-seal.ts';
import { caseSources } from './case-source.sql.ts';
import { importCaseRecords, problemText, previewCaseImport } from './import.ts';
import { CaseSourceError, fetchCaseRecords } from './source-fetch.ts';

/** The token's own sealing key (from HOTLINE_SIP_PASSWORD_SECRET), bound to the court: a row moved to another court does not open. */
const tokenPurpose = 'case-source-token/v1';

export interface CaseSourceView {
  url: string;
  /** Whether a token is kept; the token itself never leaves the server. */
  hasToken: boolean;
  everyMinutes: number;
  updatedAt: Date;
  lastSyncAt: Date | null;
  lastResult: 'ok' | 'failed' | null;
  lastTrigger: 'manual' | 'schedule' | null;
  lastError: string | null;
  lastErrorZh: string | null;
  lastTotal: number | null;
  lastCreated: number | null;
  lastUpdated: number | null;
}

export interface CaseSourceInput {
  url: string;
  /** A new token; null removes it; absent keeps the one kept. */
  token?: string | null | undefined;
  everyMinutes: number;
}

export interface SyncOutcome {
  result: 'ok' | 'failed';
  total: number;
  created: number;
  updated: number;
  error: string | null;
  errorZh: string | null;
}

/** A problem line echoes the fetched body's values: each is cut to this many characters so a hostile body cannot flood the page or the trail. */
const problemMaxChars = 200;
const capped = (text: string) => (text.length > problemMaxChars ? `${text.slice(0, problemMaxChars)}…` : text);

const tokenRequired = () =>
  new HotlineError(
    'token_required',
    409,
    'The address moves to another server while a token is kept: send the token for the new server, or token: null to drop it. Nothing was changed.',
    '地址改到了另一台服务器，而已保存令牌：请为新服务器填写令牌，或明确清除令牌（token: null）。未做任何更改。',
  );

const noSecret = () =>
  new HotlineError('sip_secret_unset', 409, 'HOTLINE_SIP_PASSWORD_SECRET is not set: a token cannot be kept sealed. Leave the token empty, or set the secret.', '未配置 HOTLINE_SIP_PASSWORD_SECRET，无法加密保存令牌。请不填令牌，或先配置该密钥。');

export async function getCaseSource(db: Db, courtId: string): Promise<CaseSourceView | null> {
  const [row] = await db.select().from(caseSources).where(eq(caseSources.courtId, courtId));
  if (!row) return null;
  const { tokenSealed, courtId: _court, updatedBy: _by, ...rest } = row;
  return { ...rest, hasToken: tokenSealed !== null, lastResult: rest.lastResult as CaseSourceView['lastResult'], lastTrigger: rest.lastTrigger as CaseSourceView['lastTrigger'] };
}


const changedMeanwhile = () =>
  new HotlineError('case_source_changed', 409, 'The source was changed by someone else at the same moment. Nothing was changed: reload and try again.', '案件系统设置刚被他人修改，未做任何更改。请刷新后重试。');

/**
 * Sets the court's source (the last sync's record stays until the next sync). The origin check and the write are one
 * transaction on the locked row, so a save racing another never leaves a new origin with a token given for another.
 */
export async function setCaseSource(db: Db, o: { courtId: string; actorUserId: string; secret: string | undefined; input: CaseSourceInput }): Promise<CaseSourceView> {
  const { input } = o;
  let token: { tokenSealed: string | null } | Record<string, never> = {};
  if (input.token === null) token = { tokenSealed: null };
  if (typeof input.token === 'string') {
    if (!o.secret) throw noSecret();
    token = { tokenSealed: sealSecretText(o.secret, tokenPurpose, o.courtId, input.token) };
  }
  const values = { url: input.url, everyMinutes: input.everyMinutes, updatedBy: o.actorUserId, updatedAt: new Date(), ...token };
  await db.transaction(async (tx: Tx) => {
    const locked = () => tx.select({ url: caseSources.url, tokenSealed: caseSources.tokenSealed }).from(caseSources).where(eq(caseSources.courtId, o.courtId)).for('update');
    let [kept] = await locked();
    if (!kept) {
      const created = await tx.insert(caseSources).values({ courtId: o.courtId, tokenSealed: null, ...values }).onConflictDoNothing().returning({ courtId: caseSources.courtId });
      if (created.length > 0) return;
      // Another save created the row meanwhile (this insert waited for it to commit): check against what it stored.
      [kept] = await locked();
      if (!kept) throw changedMeanwhile();
    }
    // The kept token goes only to the origin it was given for: moving the source elsewhere needs the token anew (or dropping it).
    if (input.token === undefined && kept.tokenSealed && new URL(kept.url).origin !== new URL(input.url).origin) throw tokenRequired();
    await tx.update(caseSources).set(values).where(eq(caseSources.courtId, o.courtId));
  });
  return (await getCaseSource(db, o.courtId))!;
}

export async function removeCaseSource(db: Db, courtId: string): Promise<boolean> {
  const removed = await db.delete(caseSources).where(eq(caseSources.courtId, courtId)).returning({ courtId: caseSources.courtId });
  return removed.length > 0;
}

/**
 * Fetches the court's case list and imports it with the CSV import's validation, all or nothing. A failure (no
 * answer, an HTTP error, a bad body, any bad row) changes no case; either way the outcome is kept on the source's row.
 */
export async function syncCaseSource(db: Db, o: { courtId: string; secret: string | undefined; trigger: 'manual' | 'schedule'; timeoutMs?: number }): Promise<SyncOutcome | null> {
  const [row] = await db.select().from(caseSources).where(eq(caseSources.courtId, o.courtId));
  if (!row) return null;
  let outcome: SyncOutcome;
  try {
    let token: string | null = null;
    if (row.tokenSealed) {
      if (!o.secret) throw new CaseSourceError('HOTLINE_SIP_PASSWORD_SECRET is not set: the token cannot be opened', '未配置 HOTLINE_SIP_PASSWORD_SECRET，无法打开令牌');
      try {
        token = openSecretText(o.secret, tokenPurpose, o.courtId, row.tokenSealed);
      } catch {
        throw new CaseSourceError('the token no longer opens (HOTLINE_SIP_PASSWORD_SECRET changed): enter it again', '令牌无法解密（HOTLINE_SIP_PASSWORD_SECRET 已更换），请重新填写');
      }
    }
    const records = await fetchCaseRecords(row.url, token, o.timeoutMs);
    const check = await previewCaseImport(db, o.courtId, records);
    if (check.problems.length > 0) {
      const list = (lang: 'zh' | 'en') => check.problems.slice(0, 10).map((p) => capped(problemText(p, lang))).join('; ') + (check.problems.length > 10 ? (lang === 'zh' ? `；另有 ${check.problems.length - 10} 处` : `; and ${check.problems.length - 10} more`) : '');
      throw new CaseSourceError(`${check.problems.length} problem(s), nothing imported: ${list('en')}`, `有 ${check.problems.length} 处问题，未导入任何内容：${list('zh')}`);
    }
    const done = await importCaseRecords(db, o.courtId, records);
    outcome = { result: 'ok', total: done.imported, created: done.created, updated: done.updated, error: null, errorZh: null };
  } catch (err) {
    // Any failure (a database error, a refused import too) is this sync's result: the page never keeps a stale "ok".
    const why = failureText(err);
    outcome = { result: 'failed', total: 0, created: 0, updated: 0, error: why.en, errorZh: why.zh };
  }
  const ok = outcome.result === 'ok';
  await db
    .update(caseSources)
    .set({
      lastSyncAt: new Date(),
      lastResult: outcome.result,
      lastTrigger: o.trigger,
      lastError: outcome.error,
      lastErrorZh: outcome.errorZh,
      lastTotal: ok ? outcome.total : null,
      lastCreated: ok ? outcome.created : null,
      lastUpdated: ok ? outcome.updated : null,
    })
    .where(eq(caseSources.courtId, o.courtId));
  return outcome;
}

/** A sync's failure in both languages; an unexpected error (a database's) is named briefly, its cause first. */
function failureText(err: unknown): { en: string; zh: string } {
  if (err instanceof CaseSourceError || err instanceof HotlineError) return { en: err.message, zh: err.messageZh };
  const e = err as Error & { cause?: { message?: string } };
  const reason = capped(e.cause?.message ?? e.message ?? String(err));
  return { en: `the import failed, nothing imported: ${reason}`, zh: `导入出错，未导入任何内容：${reason}` };
}

/** Courts whose source is due: never synced, or last synced `everyMinutes` ago or more. */
export async function dueCaseSources(db: Db, now: Date): Promise<string[]> {
  const rows = await db
    .select({ courtId: caseSources.courtId })
    .from(caseSources)
    .where(or(isNull(caseSources.lastSyncAt), lte(sql`${caseSources.lastSyncAt} + make_interval(mins => ${caseSources.everyMinutes})`, now)));
  return rows.map((r) => r.courtId);
}
