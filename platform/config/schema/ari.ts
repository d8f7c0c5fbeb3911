import { z } from 'zod';
import { booleanText, url } from './values.ts';

/** `name=url,name=url` → nodes; one problem (at ARI_NODES) naming what is wrong. */
function parseNodes(text: string, ctx: z.RefinementCtx): Array<{ name: string; url: string }> {
  const nodes = text.split(',').map((s) => s.trim()).filter(Boolean).map((pair) => ({ name: pair.slice(0, Math.max(0, pair.indexOf('='))).trim(), url: pair.slice(pair.indexOf('=') + 1).trim() }));
  const bad = nodes.find((n) => !/^[a-z0-9_-]{1,32}$/.test(n.name)) ?? nodes.find((n) => !/^https?:\/\/[^/]+/.test(n.url) || !URL.canParse(n.url));
  if (nodes.length === 0 || bad) ctx.addIssue({ code: 'custom', message: bad ? `node "${bad.name}=${bad.url}": a name of a-z, 0-9, _ and - (up to 32), then = and an http:// or https:// URL` : 'no node given' });
  else if (new Set(nodes.map((n) => n.name)).size !== nodes.length) ctx.addIssue({ code: 'custom', message: 'each node name once' });
  return nodes;
}

/** Asterisk's REST interface: the node or nodes the controllers drive. */
export const ariSchema = z
  .object({
    url: url(['http:', 'https:']).default('http://127.0.0.1:8088'),
    username: z.string().min(1).default('hotline'),
    password: z.string().min(1).default('hotline'),
    app: z.string().min(1).default('hotline12368'),
    /** Longest an ARI REST request may take before it counts as failed (ari-client never times out on its own). */
    commandTimeoutMs: z.coerce.number().int().min(50).max(60_000).default(5000),
    /**
     * Most REST connections open to Asterisk at once; requests beyond wait for a free one. Asterisk closes any
     * connection past http.conf's `sessionlimit` (default 100, softphones' websockets included).
     */
    maxConnections: z.coerce.number().int().min(1).max(1000).default(50),
    /** REST requests over the event websocket where Asterisk takes them (22 and later); else HTTP (telephony/ari/ws-rest.ts). */
    restOverWebsocket: booleanText.default(true),
    /**
     * Several Asterisk nodes, `name=url` pairs (ARI_NODES=node1=http://10.0.0.1:8088,node2=http://10.0.0.2:8088):
     * each node is driven by one controller at a time, under a lease in Redis. Unset: `url` is the only node.
     */
    nodes: z.string().transform(parseNodes).optional(),
    /** The nodes this controller asks for first (ARI_NODES_PREFER): a holder not preferring one hands it over. */
    preferNodes: z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v), z.array(z.string()).optional()),
    /** How long a node's lease lasts unless renewed (renewed every third of it); a dead holder's nodes wait this long. */
    nodeLeaseMs: z.coerce.number().int().min(500).max(60_000).default(3000),
  })
  .superRefine((ari, ctx) => {
    const unknown = (ari.preferNodes ?? []).filter((n) => !(ari.nodes ?? [{ name: 'node1' }]).some((node) => node.name === n));
    if (unknown.length > 0) ctx.addIssue({ code: 'custom', path: ['preferNodes'], message: `not a node of ARI_NODES: ${unknown.join(', ')}` });
  })
  .prefault({});

export const ariEnv = {
  'ari.url': 'ARI_URL',
  'ari.username': 'ARI_USERNAME',
  'ari.password': 'ARI_PASSWORD',
  'ari.app': 'ARI_APP',
  'ari.commandTimeoutMs': 'ARI_COMMAND_TIMEOUT_MS',
  'ari.maxConnections': 'ARI_MAX_CONNECTIONS',
  'ari.restOverWebsocket': 'ARI_REST_OVER_WEBSOCKET',
  'ari.nodes': 'ARI_NODES',
  'ari.nodeLeaseMs': 'ARI_NODE_LEASE_MS',
  'ari.preferNodes': 'ARI_NODES_PREFER',
} as const;

export const ariHints: Record<keyof typeof ariEnv, string> = {
  'ari.url': 'the Asterisk HTTP server, e.g. http://127.0.0.1:8088',
  'ari.username': 'the user from asterisk-config/ari.conf',
  'ari.password': 'the password from asterisk-config/ari.conf',
  'ari.app': 'the Stasis application name used in the dialplan, e.g. hotline12368',
  'ari.commandTimeoutMs': 'milliseconds, 50 to 60000, e.g. 5000',
  'ari.maxConnections': 'a whole number from 1 to 1000, e.g. 50',
  'ari.restOverWebsocket': 'true or false',
  'ari.nodes': 'name=url pairs separated by commas, e.g. node1=http://10.0.0.1:8088,node2=http://10.0.0.2:8088',
  'ari.nodeLeaseMs': 'milliseconds, 500 to 60000, e.g. 3000',
  'ari.preferNodes': 'node names from ARI_NODES separated by commas, e.g. node1',
};
