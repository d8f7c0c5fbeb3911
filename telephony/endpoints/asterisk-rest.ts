/**
 * The three ARI requests the endpoint files need, over plain HTTP from any process (the api role has no ARI
 * adapter): reload a module, read the last reload time, read which PJSIP endpoints are online. Not reaching
 * Asterisk at all (refused, timed out) is told apart from Asterisk answering "no": the first leaves the files to
 * be loaded on Asterisk's next reload or start, the second is a fault an admin must look at.
 */
export interface AriAccess {
  url: string;
  username: string;
  password: string;
}

/** Asterisk did not answer: connection refused, name not found, timeout. */
export class AsteriskUnreachable extends Error {
  override name = 'AsteriskUnreachable';
}

async function ariRequest(ari: AriAccess, method: 'GET' | 'PUT', path: string, timeoutMs: number): Promise<Response> {
  const auth = `Basic ${Buffer.from(`${ari.username}:${ari.password}`).toString('base64')}`;
  try {
    return await fetch(`${ari.url.replace(/\/$/, '')}/ari${path}`, { method, headers: { authorization: auth }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new AsteriskUnreachable(`Asterisk at ${ari.url} did not answer: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
}

/**
 * Asks Asterisk to re-read PJSIP and the dialplan (`PUT /ari/asterisk/modules/{module}`), so new endpoints and the
 * ring group apply without a restart and without touching calls in progress. Throws AsteriskUnreachable, or an Error
 * naming the module and Asterisk's answer when it refused (401 credentials, 404 module not running, 409 reload failed).
 */
export async function reloadAsterisk(ari: AriAccess, timeoutMs = 10_000): Promise<void> {
  for (const module of ['res_pjsip.so', 'pbx_config.so']) {
    const response = await ariRequest(ari, 'PUT', `/asterisk/modules/${module}`, timeoutMs);
    if (response.status !== 204) throw new Error(`Asterisk refused to reload ${module}: HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);
  }
}

export interface AsteriskView {
  /** When Asterisk last (re)loaded modules or started; null when it could not be asked. */
  lastReloadAt: Date | null;
  /** PJSIP endpoint name → online; null when it could not be asked. */
  online: Map<string, boolean> | null;
  /** Why it could not be asked. */
  error: string | null;
}

/** ARI's timestamps end in `+0000`; Date wants `+00:00`. */
const ariDate = (text: string | undefined) => (text ? new Date(text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) : null);

/** What Asterisk says now, for the endpoints page; never throws (a page must show even when Asterisk is away). */
export async function asteriskView(ari: AriAccess, timeoutMs = 2000): Promise<AsteriskView> {
  try {
    const [info, endpoints] = await Promise.all([ariRequest(ari, 'GET', '/asterisk/info', timeoutMs), ariRequest(ari, 'GET', '/endpoints/PJSIP', timeoutMs)]);
    if (info.status !== 200) return { lastReloadAt: null, online: null, error: `GET /ari/asterisk/info: HTTP ${info.status}` };
    const status = ((await info.json()) as { status?: { last_reload_time?: string; startup_time?: string } }).status;
    const list = endpoints.status === 200 ? ((await endpoints.json()) as { resource: string; state: string }[]) : null;
    return {
      lastReloadAt: ariDate(status?.last_reload_time ?? status?.startup_time),
      online: list ? new Map(list.map((e) => [e.resource, e.state === 'online'])) : null,
      error: list ? null : `GET /ari/endpoints/PJSIP: HTTP ${endpoints.status}`,
    };
  } catch (err) {
    return { lastReloadAt: null, online: null, error: (err as Error).message };
  }
}
