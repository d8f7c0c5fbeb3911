import type { AddressInfo } from 'node:net';
import type { Deps } from '../../platform/deps.ts';

/**
 * The hotline's URL as Asterisk reaches it, for `sound:<url>` prompts: TELEPHONY_PROMPTS_URL when set (Asterisk on
 * another host, or a load balancer in front of the API processes), else this process's own listening address (a
 * wildcard host read as 127.0.0.1: Asterisk on the same machine) when it serves the API's routes. Undefined when
 * neither: no URL would serve the audio, so the shipped prompts play (court-prompts.ts). Asked at each call: the
 * port is known only once the server listens.
 */
export function promptsBaseUrl(deps: Pick<Deps, 'config' | 'http' | 'roles'>): () => string | undefined {
  const configured = deps.config.telephony.promptsUrl;
  const servesApi = deps.roles.has('api');
  return () => {
    if (configured) return configured;
    if (!servesApi) return undefined;
    const address = deps.http.server.address() as AddressInfo | null;
    const host = deps.config.http.host;
    const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    return `http://${reachable}:${address?.port ?? deps.config.http.port}`;
  };
}
