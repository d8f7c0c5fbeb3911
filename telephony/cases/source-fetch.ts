import { recordsFromCsv, recordsFromJson, type CaseRecords } from './case-rows.ts';

/** A fetch that failed: why, in both languages. */
export class CaseSourceError extends Error {
  constructor(
    message: string,
    readonly messageZh: string,
  ) {
    super(message);
    this.name = 'CaseSourceError';
  }
}

const maxBytes = 20 * 1024 * 1024;

/**
 * GETs the court's case system and reads its answer as the case list: JSON (an array of objects, or `{"cases": […]}`)
 * when the content type says JSON or the body starts with `[` or `{`, CSV otherwise; the columns are the import's.
 * A redirect, a status other than 200, more than 20 MB or no answer in `timeoutMs` is a CaseSourceError.
 */
export async function fetchCaseRecords(url: string, token: string | null, timeoutMs = 30_000): Promise<CaseRecords> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json, text/csv;q=0.9', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      // The token is for this URL only: a redirect elsewhere is refused rather than followed.
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = (err as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs / 1000} s` : (cause?.code ?? cause?.message ?? (err as Error).message);
    throw new CaseSourceError(`the case system did not answer: ${why}`, `案件系统无应答：${why}`);
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new CaseSourceError(`the case system answered HTTP ${response.status}`, `案件系统返回 HTTP ${response.status}`);
  }
  const text = await readLimited(response);
  const type = response.headers.get('content-type') ?? '';
  const json = type.includes('json') || (!type.includes('csv') && /^\uFEFF?\s*[[{]/.test(text));
  return json ? recordsFromJson(text) : recordsFromCsv(text);
}

async function readLimited(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new CaseSourceError(`the case system's answer is larger than ${maxBytes / 1024 / 1024} MB`, `案件系统返回的数据超过 ${maxBytes / 1024 / 1024} MB`);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}
