import type { Config } from '../platform/config/schema.ts';

/**
 * Readiness of Asterisk's ARI: GET /ari/asterisk/ping with the configured credentials.
 * Rejects with a message that says what to fix.
 */
export async function pingAri(ari: Config['ari'], timeoutMs = 2000): Promise<void> {
  const url = new URL('ari/asterisk/ping', ari.url.endsWith('/') ? ari.url : `${ari.url}/`);
  const auth = Buffer.from(`${ari.username}:${ari.password}`).toString('base64');
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Basic ${auth}` }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new Error(`no Asterisk ARI answers at ${ari.url} (${cause})`);
  }
  if (response.status === 401) throw new Error(`ARI at ${ari.url} refused the credentials: check ARI_USERNAME and ARI_PASSWORD`);
  if (!response.ok) throw new Error(`ARI at ${ari.url} answered HTTP ${response.status}`);
  const body = (await response.json().catch(() => ({}))) as { ping?: string };
  if (body.ping !== 'pong') throw new Error(`ARI at ${ari.url} did not answer the ping with "pong"`);
}
