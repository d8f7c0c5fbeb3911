import { isIP } from 'node:net';
import { z } from 'zod';

/** An address or CIDR range as proxy-addr (Fastify's trustProxy) takes it, or one of its named ranges. */
const proxyAddress = (v: string) => {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(v)) return true;
  const [ip = '', bits, extra] = v.split('/');
  const family = isIP(ip);
  if (!family || extra !== undefined) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
};

/**
 * Which proxies' X-Forwarded-For to believe: false (none: the socket's address is the client), true (any),
 * a hop count, or a list of addresses / CIDR ranges.
 */
const trustProxy = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v;
    const text = v.trim().toLowerCase();
    if (['false', 'off', 'no', '0'].includes(text)) return false;
    if (['true', 'on', 'yes'].includes(text)) return true;
    if (/^\d+$/.test(text)) return Number(text);
    return text.split(',').map((s) => s.trim()).filter(Boolean);
  },
  z.union([
    z.boolean(),
    z.number().int().min(1).max(100),
    z.array(z.string().refine(proxyAddress, 'each entry must be an IP address, a CIDR range (10.0.0.0/8) or loopback, linklocal, uniquelocal')).min(1),
  ]),
);

/** The HTTP server: where it listens, whose proxies it believes, /metrics and websocket origins. */
export const httpSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(8368),
    /** Whose X-Forwarded-For gives the client's address (rate limits, audit); off unless the proxy is named. */
    trustProxy: trustProxy.default(false),
    /**
     * Bearer token /metrics asks for (Authorization: Bearer <token>). Unset: /metrics answers only clients on
     * this machine (a loopback address, as request.ip sees it), so a scraper elsewhere needs the token.
     */
    metricsToken: z.string().min(16).optional(),
    /**
     * Browser origins besides the console's own (the Host it is reached at) allowed to open the realtime websocket,
     * e.g. the public https origin when a proxy rewrites Host. Every other Origin is refused.
     */
    allowedOrigins: z
      .preprocess(
        (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v),
        z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin: scheme://host[:port], no path')),
      )
      .default([]),
  })
  .prefault({});

export const httpEnv = {
  'http.host': 'HOTLINE_HOST',
  'http.port': 'HOTLINE_PORT',
  'http.trustProxy': 'HOTLINE_TRUST_PROXY',
  'http.metricsToken': 'HOTLINE_METRICS_TOKEN',
  'http.allowedOrigins': 'HOTLINE_ALLOWED_ORIGINS',
} as const;

export const httpHints: Record<keyof typeof httpEnv, string> = {
  'http.host': 'the address to listen on, e.g. 127.0.0.1 or 0.0.0.0',
  'http.port': 'a port number from 0 to 65535, e.g. 8368',
  'http.trustProxy': 'false, true, a hop count (e.g. 1), or a comma-separated list of proxy addresses or CIDR ranges (e.g. 10.0.0.5,192.168.0.0/16)',
  'http.metricsToken': 'a random token of at least 16 characters (openssl rand -hex 24), or unset it (then /metrics answers only this machine)',
  'http.allowedOrigins': 'a comma-separated list of origins, e.g. https://hotline.court.example,https://12368.court.example',
};
