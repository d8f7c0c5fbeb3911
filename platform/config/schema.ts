import { isIP } from 'node:net';
import { z } from 'zod';

/** The process roles; one deployment may run any subset in one process (default: all). */
export const roles = ['api', 'telephony', 'workers'] as const;
export type Role = (typeof roles)[number];

const booleanText = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v)),
]);

const roleList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v),
  z.array(z.enum(roles)).min(1).transform((list) => [...new Set(list)]),
);

const url = (protocols: string[]) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);

/** `name=url,name=url` → nodes; one problem (at ARI_NODES) naming what is wrong. */
function parseNodes(text: string, ctx: z.RefinementCtx): Array<{ name: string; url: string }> {
  const nodes = text.split(',').map((s) => s.trim()).filter(Boolean).map((pair) => ({ name: pair.slice(0, Math.max(0, pair.indexOf('='))).trim(), url: pair.slice(pair.indexOf('=') + 1).trim() }));
  const bad = nodes.find((n) => !/^[a-z0-9_-]{1,32}$/.test(n.name)) ?? nodes.find((n) => !/^https?:\/\/[^/]+/.test(n.url) || !URL.canParse(n.url));
  if (nodes.length === 0 || bad) ctx.addIssue({ code: 'custom', message: bad ? `node "${bad.name}=${bad.url}": a name of a-z, 0-9, _ and - (up to 32), then = and an http:// or https:// URL` : 'no node given' });
  else if (new Set(nodes.map((n) => n.name)).size !== nodes.length) ctx.addIssue({ code: 'custom', message: 'each node name once' });
  return nodes;
}

const port = z.coerce.number().int().min(0).max(65535);

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
const positiveMs = z.coerce.number().int().positive();

/** host:port, [v6]:port or a bare host (Sentinel's port 26379). */
const sentinelAddress = z.string().transform((v, ctx) => {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/.exec(v.trim());
  const port = Number(match?.[3] ?? 26379);
  if (!match || port < 1 || port > 65535) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not host:port` });
    return z.NEVER;
  }
  return { host: (match[1] ?? match[2]) as string, port };
});
const sentinelList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v),
  z.array(sentinelAddress).min(1, 'at least one sentinel'),
);

/** The one configuration schema. The Config type is derived from it; every value has a default. */
export const configSchema = z
  .object({
    roles: roleList.default([...roles]),
    http: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: port.default(8368),
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
      .prefault({}),
    database: z
      .object({
        /** PostgreSQL URL; when absent the service runs on embedded PGlite under dataDir. */
        url: url(['postgres:', 'postgresql:']).optional(),
        poolSize: z.coerce.number().int().min(1).max(200).default(10),
      })
      .prefault({}),
    dataDir: z.string().min(1).default('./data'),
    redis: z
      .object({
        url: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
        /** Launch a private redis-server when none answers at a local url. */
        autostart: booleanText.default(true),
        /** Key prefix for every BullMQ queue and live-state key (several deployments may share a Redis). */
        prefix: z.string().min(1).regex(/^[A-Za-z0-9:_-]+$/, 'letters, digits, ":", "_" and "-" only').default('hotline'),
        /**
         * Redis Sentinel: the sentinels to ask where the master is. Set, every connection follows the master through a
         * fail-over, and url gives only the data nodes' password, database and TLS (rediss:), not their address.
         */
        sentinels: sentinelList.optional(),
        /** The master name the sentinels monitor (`sentinel monitor <name> …` in sentinel.conf). */
        sentinelMaster: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only').optional(),
        /** The sentinels' own password (their requirepass), when they have one. */
        sentinelPassword: z.string().min(1).optional(),
        /** Reach the sentinels over TLS. */
        sentinelTls: booleanText.default(false),
      })
      .superRefine((redis, ctx) => {
        if (redis.sentinels && !redis.sentinelMaster) ctx.addIssue({ code: 'custom', path: ['sentinelMaster'], message: 'required when Redis sentinels are set' });
        if (redis.sentinelMaster && !redis.sentinels) ctx.addIssue({ code: 'custom', path: ['sentinels'], message: 'required when a Sentinel master name is set' });
      })
      .prefault({}),
    ari: z
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
      .prefault({}),
    telephony: z
      .object({
        /** How long an operator's softphone rings before the next operator is tried. */
        ringSeconds: z.coerce.number().int().min(1).max(120).default(20),
        /** After this long in the queue a caller is offered a callback or a message. */
        maxWaitSeconds: z.coerce.number().int().min(1).max(3600).default(180),
        /** After-call work time before an operator is ready again. */
        wrapUpSeconds: z.coerce.number().int().min(0).max(600).default(15),
        /** How long the menu waits for a digit after its prompt. */
        menuTimeoutSeconds: z.coerce.number().int().min(1).max(30).default(5),
        /** How often a waiting caller hears their position. */
        positionFirstSeconds: z.coerce.number().int().min(0).max(600).default(3),
        transferRingSeconds: z.coerce.number().int().min(1).max(120).default(30),
        trunkDial: z.string().regex(/^[A-Za-z]+\/.*\{number\}/).default('PJSIP/{number}@trunk'),
        caseEntryTimeoutSeconds: z.coerce.number().int().min(1).max(60).default(8),
        positionEverySeconds: z.coerce.number().int().min(1).max(600).default(30),
        /** Where Asterisk finds the hotline's prompts (asterisk-config/sounds/ as mounted on the Asterisk host). */
        soundsDir: z.string().min(1).default('/etc/asterisk/sounds'),
        /** The hotline's URL as Asterisk reaches it, to fetch a court's own voice prompts; unset: this process's own address. */
        promptsUrl: url(['http:', 'https:']).optional(),
        /** Where the generated PJSIP endpoint and ring-group files are written (telephony:endpoints, the SIP endpoints page). */
        asteriskConfigDir: z.string().min(1).default('asterisk-config'),
        /** Asterisk's CDR file of calls that took the dialplan fallback (asterisk-config/cdr_custom.conf); empty: no import. */
        fallbackCdrFile: z.string().default('/var/log/asterisk/cdr-custom/hotline-cdr.jsonl'),
        /** Caller id shown to callers dialled back. */
        outboundCallerId: z.string().min(1).max(64).default('12368'),
        /** How long a called-back caller's phone rings before the attempt counts as no answer. */
        outboundRingSeconds: z.coerce.number().int().min(1).max(120).default(30),
        /** Attempts to reach a caller (the first included) before a callback is given up. */
        outboundAttempts: z.coerce.number().int().min(1).max(10).default(3),
        /** Least time between two attempts; a retry also waits for business hours. */
        outboundRetrySeconds: z.coerce.number().int().min(1).max(7 * 86400).default(1800),
        /** Where call recordings are kept (<yyyy>/<mm>/<callId>.wav); default <dataDir>/recordings. */
        recordingsDir: z.string().min(1).optional(),
        /** Recordings older than this (from the call's arrival) are deleted by a daily job; their rows stay. */
        recordingRetentionDays: z.coerce.number().int().min(1).max(36500).default(180),
      })
      .prefault({}),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        /** Unset: human-readable when stdout is a terminal, JSON lines otherwise (platform/logger.ts). */
        pretty: booleanText.optional(),
      })
      .prefault({}),
    api: z
      .object({
        /** How long a session lasts after sign-in. */
        sessionTtlMinutes: z.coerce.number().int().min(1).max(10080).default(720),
        /** Consecutive failed sign-ins that lock a username. */
        lockoutAttempts: z.coerce.number().int().min(1).max(100).default(5),
        lockoutMinutes: z.coerce.number().int().min(1).max(1440).default(15),
        /** Sign-in attempts per client address per minute. */
        signInRateLimit: z.coerce.number().int().min(1).default(10),
        /** Requests per client address per minute on other public endpoints (docs). */
        publicRateLimit: z.coerce.number().int().min(1).default(120),
        /** Realtime events kept per court for consoles that reconnect. */
        eventBuffer: z.coerce.number().int().min(10).max(100000).default(1000),
      })
      .prefault({}),
    console: z
      .object({
        /** Where browsers reach Asterisk's SIP-over-WebSocket server (asterisk-config/http.conf, path /ws). */
        sipWebSocketUrl: url(['ws:', 'wss:']).default('ws://127.0.0.1:8088/ws'),
        /** The SIP domain of operator endpoints: sip:<endpoint>@<domain>. */
        sipDomain: z.string().min(1).regex(/^[A-Za-z0-9.:[\]-]+$/, 'a host name or address').default('127.0.0.1'),
        /** When set, each operator endpoint's SIP password is derived from it (see docs/console.md); otherwise the softphone asks. */
        sipPasswordSecret: z.string().min(16).optional(),
        /** An operator whose console has had no websocket this long is paused (a reconnect within it changes nothing). */
        pauseAfterSeconds: z.coerce.number().int().min(1).max(3600).default(60),
      })
      .prefault({}),
    tickets: z
      .object({
        /** Due chase timers a worker process holds at once (they are applied in batches, see docs/tickets.md). */
        chaseConcurrency: z.coerce.number().int().min(1).max(1000).default(200),
        /** Most chase timers applied in one transaction. */
        chaseBatch: z.coerce.number().int().min(1).max(1000).default(100),
        /** Notices to the consoles sent at once by a worker process. */
        notifyConcurrency: z.coerce.number().int().min(1).max(100).default(4),
      })
      .prefault({}),
    sms: z
      .object({
        /** Which SMS gateway relays replies and hand-off notices: none (SMS relay refused), smpp or https. */
        gateway: z.enum(['none', 'smpp', 'https']).default('none'),
        /** A sent SMS with no delivery receipt after this long counts as failed (the ticket stays in 反馈). */
        receiptTimeoutSeconds: z.coerce.number().int().min(5).max(7 * 86400).default(3600),
        /** SMPP 3.4 message centre: smpp://host:2775 (or ssmpp:// for TLS). */
        smppUrl: url(['smpp:', 'ssmpp:']).optional(),
        smppSystemId: z.string().min(1).max(15).optional(),
        smppPassword: z.string().min(1).max(8).optional(),
        /** The sender number callers see (source_addr). */
        smppSourceAddr: z.string().min(1).max(20).default('12368'),
        /** HTTPS gateway: the base URL messages are POSTed to (<url>/messages). */
        httpsUrl: url(['https:', 'http:']).optional(),
        /** Shared secret both sides sign requests, answers and receipts with (HMAC-SHA256). */
        httpsSecret: z.string().min(16).optional(),
        /** A PEM file of the CA that signed the gateway's certificate, when it is not a public one. */
        httpsCaFile: z.string().min(1).optional(),
      })
      .superRefine((sms, ctx) => {
        const need = (key: keyof typeof sms, when: string) => {
          if (sms[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `required when sms.gateway is ${when}` });
        };
        if (sms.gateway === 'smpp') for (const key of ['smppUrl', 'smppSystemId', 'smppPassword'] as const) need(key, 'smpp');
        if (sms.gateway === 'https') for (const key of ['httpsUrl', 'httpsSecret'] as const) need(key, 'https');
        if (sms.gateway === 'https' && sms.httpsUrl?.startsWith('http:') && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(sms.httpsUrl)) {
          ctx.addIssue({ code: 'custom', path: ['httpsUrl'], message: 'must be https:// (plain http only to a gateway on this machine)' });
        }
      })
      .prefault({}),
    seals: z
      .object({
        /** The Ed25519 private key (PEM) that seals the records; when unset, <dataDir>/seals/seal-key.pem (made at first start, not in production). */
        keyFile: z.string().min(1).optional(),
        /** The public key verify uses (PEM); when unset, the key file's own public half. */
        publicKeyFile: z.string().min(1).optional(),
        /** The append-only file of signed checkpoints; default <dataDir>/seals/checkpoints.jsonl. */
        checkpointFile: z.string().min(1).optional(),
        /** How often the workers write a checkpoint of every chain's head. */
        checkpointMinutes: z.coerce.number().int().min(1).max(60).default(60),
      })
      .prefault({}),
    shutdown: z
      .object({
        /** How long in-hand work may take to finish after SIGTERM before the process exits anyway. */
        timeoutMs: positiveMs.default(15000),
      })
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/**
 * Environment variable for each config path. The config file uses the nested keys;
 * the environment overrides the file.
 */
export const envNames = {
  roles: 'HOTLINE_ROLES',
  'http.host': 'HOTLINE_HOST',
  'http.port': 'HOTLINE_PORT',
  'http.trustProxy': 'HOTLINE_TRUST_PROXY',
  'http.metricsToken': 'HOTLINE_METRICS_TOKEN',
  'http.allowedOrigins': 'HOTLINE_ALLOWED_ORIGINS',
  'database.url': 'DATABASE_URL',
  'database.poolSize': 'DATABASE_POOL_SIZE',
  dataDir: 'HOTLINE_DATA_DIR',
  'redis.url': 'REDIS_URL',
  'redis.autostart': 'REDIS_AUTOSTART',
  'redis.prefix': 'REDIS_PREFIX',
  'redis.sentinels': 'REDIS_SENTINELS',
  'redis.sentinelMaster': 'REDIS_SENTINEL_MASTER',
  'redis.sentinelPassword': 'REDIS_SENTINEL_PASSWORD',
  'redis.sentinelTls': 'REDIS_SENTINEL_TLS',
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
  'telephony.ringSeconds': 'TELEPHONY_RING_SECONDS',
  'telephony.maxWaitSeconds': 'TELEPHONY_MAX_WAIT_SECONDS',
  'telephony.wrapUpSeconds': 'TELEPHONY_WRAP_UP_SECONDS',
  'telephony.menuTimeoutSeconds': 'TELEPHONY_MENU_TIMEOUT_SECONDS',
  'telephony.positionFirstSeconds': 'TELEPHONY_POSITION_FIRST_SECONDS',
  'telephony.transferRingSeconds': 'TELEPHONY_TRANSFER_RING_SECONDS',
  'telephony.trunkDial': 'TELEPHONY_TRUNK_DIAL',
  'telephony.caseEntryTimeoutSeconds': 'TELEPHONY_CASE_ENTRY_TIMEOUT_SECONDS',
  'telephony.positionEverySeconds': 'TELEPHONY_POSITION_EVERY_SECONDS',
  'telephony.soundsDir': 'TELEPHONY_SOUNDS_DIR',
  'telephony.promptsUrl': 'TELEPHONY_PROMPTS_URL',
  'telephony.asteriskConfigDir': 'TELEPHONY_ASTERISK_CONFIG_DIR',
  'telephony.fallbackCdrFile': 'TELEPHONY_FALLBACK_CDR_FILE',
  'telephony.outboundCallerId': 'TELEPHONY_OUTBOUND_CALLER_ID',
  'telephony.outboundRingSeconds': 'TELEPHONY_OUTBOUND_RING_SECONDS',
  'telephony.outboundAttempts': 'TELEPHONY_OUTBOUND_ATTEMPTS',
  'telephony.outboundRetrySeconds': 'TELEPHONY_OUTBOUND_RETRY_SECONDS',
  'telephony.recordingsDir': 'TELEPHONY_RECORDINGS_DIR',
  'telephony.recordingRetentionDays': 'TELEPHONY_RECORDING_RETENTION_DAYS',
  'log.level': 'LOG_LEVEL',
  'log.pretty': 'LOG_PRETTY',
  'api.sessionTtlMinutes': 'HOTLINE_SESSION_TTL_MINUTES',
  'api.lockoutAttempts': 'HOTLINE_LOCKOUT_ATTEMPTS',
  'api.lockoutMinutes': 'HOTLINE_LOCKOUT_MINUTES',
  'api.signInRateLimit': 'HOTLINE_SIGN_IN_RATE_LIMIT',
  'api.publicRateLimit': 'HOTLINE_PUBLIC_RATE_LIMIT',
  'api.eventBuffer': 'HOTLINE_EVENT_BUFFER',
  'console.sipWebSocketUrl': 'HOTLINE_SIP_WS_URL',
  'console.sipDomain': 'HOTLINE_SIP_DOMAIN',
  'console.sipPasswordSecret': 'HOTLINE_SIP_PASSWORD_SECRET',
  'console.pauseAfterSeconds': 'HOTLINE_CONSOLE_PAUSE_AFTER_SECONDS',
  'tickets.chaseConcurrency': 'TICKETS_CHASE_CONCURRENCY',
  'tickets.chaseBatch': 'TICKETS_CHASE_BATCH',
  'tickets.notifyConcurrency': 'TICKETS_NOTIFY_CONCURRENCY',
  'sms.gateway': 'SMS_GATEWAY',
  'sms.receiptTimeoutSeconds': 'SMS_RECEIPT_TIMEOUT_SECONDS',
  'sms.smppUrl': 'SMS_SMPP_URL',
  'sms.smppSystemId': 'SMS_SMPP_SYSTEM_ID',
  'sms.smppPassword': 'SMS_SMPP_PASSWORD',
  'sms.smppSourceAddr': 'SMS_SMPP_SOURCE_ADDR',
  'sms.httpsUrl': 'SMS_HTTPS_URL',
  'sms.httpsSecret': 'SMS_HTTPS_SECRET',
  'sms.httpsCaFile': 'SMS_HTTPS_CA_FILE',
  'seals.keyFile': 'HOTLINE_SEAL_KEY_FILE',
  'seals.publicKeyFile': 'HOTLINE_SEAL_PUBLIC_KEY_FILE',
  'seals.checkpointFile': 'HOTLINE_SEAL_CHECKPOINT_FILE',
  'seals.checkpointMinutes': 'HOTLINE_SEAL_CHECKPOINT_MINUTES',
  'shutdown.timeoutMs': 'HOTLINE_SHUTDOWN_TIMEOUT_MS',
} as const;

/** A hint for each variable: what a good value looks like, used in the start-up error. */
export const envHints: Record<keyof typeof envNames, string> = {
  roles: `a comma-separated list of ${roles.join(', ')} (e.g. "api,workers")`,
  'http.host': 'the address to listen on, e.g. 127.0.0.1 or 0.0.0.0',
  'http.port': 'a port number from 0 to 65535, e.g. 8368',
  'http.trustProxy': 'false, true, a hop count (e.g. 1), or a comma-separated list of proxy addresses or CIDR ranges (e.g. 10.0.0.5,192.168.0.0/16)',
  'http.metricsToken': 'a random token of at least 16 characters (openssl rand -hex 24), or unset it (then /metrics answers only this machine)',
  'http.allowedOrigins': 'a comma-separated list of origins, e.g. https://hotline.court.example,https://12368.court.example',
  'database.url': 'postgres://user:password@host:5432/dbname, or unset it to use the embedded database',
  'database.poolSize': 'a whole number from 1 to 200',
  dataDir: 'a writable directory, e.g. ./data',
  'redis.url': 'redis://host:6379 (or rediss:// for TLS)',
  'redis.autostart': 'true or false',
  'redis.prefix': 'letters, digits, ":", "_" or "-", e.g. hotline',
  'redis.sentinels': 'a comma-separated list of sentinels, e.g. 10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379, or unset it for one Redis at REDIS_URL',
  'redis.sentinelMaster': 'the master name from the sentinels\' "sentinel monitor <name> …" line, e.g. hotline',
  'redis.sentinelPassword': 'the sentinels\' requirepass, or unset it',
  'redis.sentinelTls': 'true or false',
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
  'telephony.ringSeconds': 'seconds from 1 to 120, e.g. 20',
  'telephony.maxWaitSeconds': 'seconds from 1 to 3600, e.g. 180',
  'telephony.wrapUpSeconds': 'seconds from 0 to 600, e.g. 15',
  'telephony.menuTimeoutSeconds': 'seconds from 1 to 30, e.g. 5',
  'telephony.positionFirstSeconds': 'seconds from 0 to 600, e.g. 3',
  'telephony.transferRingSeconds': 'seconds from 1 to 120, e.g. 30',
  'telephony.trunkDial': 'a dial string with {number}, e.g. PJSIP/{number}@trunk',
  'telephony.caseEntryTimeoutSeconds': 'seconds from 1 to 60, e.g. 8',
  'telephony.positionEverySeconds': 'seconds from 1 to 600, e.g. 30',
  'telephony.soundsDir': 'the directory on the Asterisk host holding asterisk-config/sounds, e.g. /etc/asterisk/sounds',
  'telephony.promptsUrl': 'the hotline as Asterisk reaches it over HTTP, e.g. http://hotline.court.local:8368',
  'telephony.asteriskConfigDir': "Asterisk's configuration directory as this host sees it, e.g. /etc/asterisk",
  'telephony.fallbackCdrFile': 'a file path, e.g. /var/log/asterisk/cdr-custom/hotline-cdr.jsonl, or empty',
  'telephony.outboundCallerId': 'the number callers see, e.g. 12368',
  'telephony.outboundRingSeconds': 'seconds from 1 to 120, e.g. 30',
  'telephony.outboundAttempts': 'a whole number from 1 to 10, e.g. 3',
  'telephony.outboundRetrySeconds': 'seconds from 1 to 604800, e.g. 1800',
  'telephony.recordingsDir': 'a writable directory, e.g. /var/lib/hotline/recordings',
  'telephony.recordingRetentionDays': 'days from 1 to 36500, e.g. 180',
  'log.level': 'one of fatal, error, warn, info, debug, trace, silent',
  'log.pretty': 'true or false',
  'api.sessionTtlMinutes': 'minutes from 1 to 10080, e.g. 720',
  'api.lockoutAttempts': 'a whole number from 1 to 100, e.g. 5',
  'api.lockoutMinutes': 'minutes from 1 to 1440, e.g. 15',
  'api.signInRateLimit': 'a whole number above 0, e.g. 10',
  'api.publicRateLimit': 'a whole number above 0, e.g. 120',
  'api.eventBuffer': 'a whole number from 10 to 100000, e.g. 1000',
  'console.sipWebSocketUrl': "Asterisk's SIP WebSocket, e.g. ws://127.0.0.1:8088/ws or wss://pbx.example/ws",
  'console.sipDomain': 'the SIP domain of operator endpoints, e.g. 127.0.0.1 or pbx.example',
  'console.sipPasswordSecret': 'a secret of at least 16 characters, or unset it',
  'console.pauseAfterSeconds': 'seconds from 1 to 3600, e.g. 60',
  'tickets.chaseConcurrency': 'a whole number from 1 to 1000, e.g. 200',
  'tickets.chaseBatch': 'a whole number from 1 to 1000, e.g. 100',
  'tickets.notifyConcurrency': 'a whole number from 1 to 100, e.g. 4',
  'sms.gateway': 'none, smpp or https (smpp and https need their settings below)',
  'sms.receiptTimeoutSeconds': 'seconds from 5 to 604800, e.g. 3600',
  'sms.smppUrl': 'the message centre, e.g. smpp://smsc.example:2775 (ssmpp:// for TLS)',
  'sms.smppSystemId': 'the system_id the carrier gave you (at most 15 characters)',
  'sms.smppPassword': 'the SMPP password the carrier gave you (at most 8 characters)',
  'sms.smppSourceAddr': 'the sender number callers see, e.g. 12368',
  'sms.httpsUrl': 'the gateway base URL, e.g. https://sms.example/api',
  'sms.httpsSecret': 'the shared secret agreed with the gateway (at least 16 characters)',
  'sms.httpsCaFile': "a PEM file of the gateway certificate's CA, or unset it",
  'seals.keyFile': 'a file with an Ed25519 private key in PEM, e.g. made by: openssl genpkey -algorithm ed25519 -out /etc/hotline/seal-key.pem',
  'seals.publicKeyFile': 'a file with the seal key\'s public half in PEM (openssl pkey -in seal-key.pem -pubout)',
  'seals.checkpointFile': 'a file path outside the database, e.g. /var/lib/hotline/seals/checkpoints.jsonl',
  'seals.checkpointMinutes': 'a whole number of minutes from 1 to 60',
  'shutdown.timeoutMs': 'milliseconds, a whole number above 0, e.g. 15000',
};
