import type { AriSim } from '../index.ts';

export interface AriHttpAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON, or null for an empty body. */
  body: unknown;
}

/**
 * One plain HTTP request to the stand-in's ARI (Basic auth unless `auth: false`); `body` is sent as it is, with
 * `contentType` when given (a JSON body: `JSON.stringify` it and say `application/json`).
 */
export async function ariHttp(sim: AriSim, method: string, path: string, options: { auth?: boolean; body?: string; contentType?: string } = {}): Promise<AriHttpAnswer> {
  const headers: Record<string, string> = {};
  if (options.auth !== false) headers.authorization = `Basic ${Buffer.from(`${sim.username}:${sim.password}`).toString('base64')}`;
  if (options.contentType) headers['content-type'] = options.contentType;
  const response = await fetch(new URL(`/ari${path}`, sim.url), { method, headers, body: options.body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? null : (JSON.parse(text) as unknown) };
}
