import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface AriHttp {
  url: string;
  username: string;
  password: string;
  /** Longest one request may take; a file download gets `downloadTimeoutMs` (the body streams within it). */
  timeoutMs: number;
  downloadTimeoutMs?: number;
}

/** An answer from ARI that says try again later (unreachable, 5xx, still recording). */
export class AriFetchRetry extends Error {
  override name = 'AriFetchRetry';
}

/**
 * Recordings stored in Asterisk, over ARI's REST API with plain HTTP: works whether Asterisk runs on this host
 * or another, and needs no event websocket (the workers process has none).
 */
export class AriRecordingFiles {
  private readonly base: string;
  private readonly auth: string;

  constructor(private readonly o: AriHttp) {
    this.base = `${o.url.replace(/\/$/, '')}/ari/recordings`;
    this.auth = `Basic ${Buffer.from(`${o.username}:${o.password}`).toString('base64')}`;
  }

  /** Names of every stored recording. */
  async listStored(): Promise<string[]> {
    const response = await this.request('GET', '/stored');
    const list = (await response.json()) as Array<{ name?: unknown }>;
    return list.flatMap((r) => (typeof r.name === 'string' ? [r.name] : []));
  }

  /** Whether Asterisk is still writing this recording (a bridge or channel take in progress). */
  async isLive(name: string): Promise<boolean> {
    const response = await this.request('GET', `/live/${encodeURIComponent(name)}`, [404]);
    await response.body?.cancel();
    return response.status === 200;
  }

  /**
   * Streams the stored file to `path` (written beside it and renamed, so a file at `path` is always whole).
   * Returns its size, or null when Asterisk has no such stored recording.
   */
  async download(name: string, path: string): Promise<number | null> {
    const response = await this.request('GET', `/stored/${encodeURIComponent(name)}/file`, [404], this.o.downloadTimeoutMs ?? 600_000);
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.part`;
    let size = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(response.body! as import('node:stream/web').ReadableStream), count, createWriteStream(partial));
      await rename(partial, path);
    } catch (err) {
      await rm(partial, { force: true });
      throw new AriFetchRetry(`downloading recording ${name}: ${(err as Error).message}`);
    }
    return size;
  }

  /** Deletes the stored copy; one already gone is fine. */
  async deleteStored(name: string): Promise<void> {
    const response = await this.request('DELETE', `/stored/${encodeURIComponent(name)}`, [404]);
    await response.body?.cancel();
  }

  private async request(method: string, path: string, accepted: number[] = [], timeoutMs = this.o.timeoutMs): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, { method, headers: { authorization: this.auth }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new AriFetchRetry(`${method} ${path}: ARI at ${this.o.url} unreachable (${cause ?? (err as Error).message})`);
    }
    if (response.ok || accepted.includes(response.status)) return response;
    const text = await response.text().catch(() => '');
    throw new AriFetchRetry(`${method} ${path}: ARI answered ${response.status} ${text.slice(0, 200)}`);
  }
}
