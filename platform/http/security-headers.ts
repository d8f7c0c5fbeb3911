import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

export interface SecurityHeaderOptions {
  /**
   * Origins besides the page's own the browser may connect to (fetch, websockets): the console's softphone reaches
   * Asterisk's SIP websocket (config console.sipWebSocketUrl), e.g. `wss://pbx.court.example:8089`.
   */
  connectSources?: readonly string[];
}

/** The origin of a URL (scheme, host, port) as a CSP source; the URL itself when it has none. */
const sourceOf = (url: string) => {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? url : origin;
  } catch {
    return url;
  }
};

/**
 * Security headers on every response, through @fastify/helmet (the Fastify ecosystem's helmet): a Content-Security-Policy
 * the console works under, no framing by any site (clickjacking), no MIME sniffing, no referrer leaking a URL.
 *
 * The console (agent-ui) is one origin: its scripts are the Vite build's files (no inline script, no eval), antd
 * writes its styles into <style> elements at run time (CSS-in-JS, hence style-src 'unsafe-inline'), echarts draws on
 * canvas, the softphone (JsSIP) opens the configured SIP websocket and WebRTC media (not governed by CSP), recordings
 * play from /api. 'self' in connect-src covers the console's own websocket (/api/realtime; CSP Level 3 lets 'self'
 * match ws: and wss: of the page's host). No upgrade-insecure-requests: a court LAN may serve the console over
 * plain http, where it would rewrite every asset and the ws:// SIP URL to ones that do not exist.
 */
export function registerSecurityHeaders(app: FastifyInstance, { connectSources = [] }: SecurityHeaderOptions = {}): void {
  void app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", ...new Set(connectSources.map(sourceOf))],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    frameguard: { action: 'deny' },
    // Sent over https only matters to browsers; not includeSubDomains: a court's other hosts are not ours to pin.
    strictTransportSecurity: { maxAge: 180 * 24 * 3600, includeSubDomains: false },
    referrerPolicy: { policy: 'no-referrer' },
    // Cross-Origin-Embedder-Policy stays off (helmet's default): it would ask the SIP server to send CORP headers.
  });
}
