/** The console's one HTTP client: JSON in and out, the API's error shape turned into ApiError. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly messageZh: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The message in the console's language. */
  text(language: string): string {
    return language.startsWith('zh') ? this.messageZh : this.message;
  }
}

export interface ApiClientOptions {
  /** Called when a signed-in request is refused because the session has ended (expired, signed out elsewhere). */
  onSessionEnded: () => void;
}

export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  get = <T>(path: string) => this.request<T>('GET', path);
  post = <T>(path: string, body?: unknown) => this.request<T>('POST', path, body);
  patch = <T>(path: string, body: unknown) => this.request<T>('PATCH', path, body);
  put = <T>(path: string, body: unknown) => this.request<T>('PUT', path, body);
  delete = <T>(path: string) => this.request<T>('DELETE', path);

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    // Every signed-in POST carries an Idempotency-Key (docs/api.md): when the network drops the answer, or the first
    // attempt is still running, the same request is sent again with the same key and the server does it once.
    const key = method === 'POST' && path !== '/api/auth/sign-in' ? idempotencyKey() : undefined;
    const headers: Record<string, string> = {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(key ? { 'idempotency-key': key } : {}),
    };
    const send = () => fetch(path, { method, credentials: 'same-origin', headers, body: body === undefined ? undefined : JSON.stringify(body) });
    let response: Response | undefined;
    for (let attempt = 1; ; attempt++) {
      const retry = attempt < 3 && key !== undefined;
      try {
        response = await send();
      } catch {
        if (retry) {
          await pause(1000);
          continue;
        }
        throw new ApiError(0, 'network_error', 'The server cannot be reached. Check the network and try again.', '无法连接服务器，请检查网络后重试。');
      }
      const inProgress = retry && response.status === 409 && (await response.clone().text()).includes('"idempotency_in_progress"');
      if (!inProgress) break;
      await pause(1000);
    }
    const text = await response.text();
    const parsed: unknown = text ? safeJson(text) : null;
    if (response.ok) return parsed as T;
    const shape = (parsed ?? {}) as { code?: string; message?: string; message_zh?: string };
    const error = new ApiError(
      response.status,
      shape.code ?? 'http_' + response.status,
      shape.message ?? `The server answered ${response.status}.`,
      shape.message_zh ?? `服务器返回错误 ${response.status}。`,
    );
    if (response.status === 401 && path !== '/api/auth/sign-in') this.options.onSessionEnded();
    throw error;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** 128 random bits in hex (crypto.getRandomValues works on a plain-http court LAN, where randomUUID does not). */
function idempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}
