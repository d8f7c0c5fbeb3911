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
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'network_error', 'The server cannot be reached. Check the network and try again.', '无法连接服务器，请检查网络后重试。');
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

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}
