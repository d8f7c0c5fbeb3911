const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;
const CHANNEL_ID = /^\d{10}\.(\d+)$/;
const TIME_KEYS = new Set(['timestamp', 'creationtime', 'startup_time', 'last_reload_time']);

/**
 * Replaces run-specific values by stable tokens: channel ids by `chan<n>` (n: Asterisk's counter),
 * bridge and playback ids by order of first appearance, SIP Call-IDs by their channel's token,
 * timestamps (after checking their format) and RTP statistics by placeholders.
 */
export class Normalizer {
  private readonly tokens = new Map<string, string>();
  private readonly reverse = new Map<string, string>();
  private bridges = 0;
  private playbacks = 0;
  readonly badTimestamps: string[] = [];

  private assign(value: string, token: string): void {
    if (this.tokens.has(value)) return;
    this.tokens.set(value, token);
    this.reverse.set(token, value);
  }

  /** Learns the ids in a JSON value (call on every event and response in the order they arrive). */
  learn(value: unknown): void {
    if (Array.isArray(value)) {
      for (const item of value) this.learn(item);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    if (typeof object.id === 'string' && 'protocol_id' in object) {
      const match = CHANNEL_ID.exec(object.id);
      const token = match ? `chan${match[1]}` : `chan:${object.id}`;
      this.assign(object.id, token);
      if (typeof object.protocol_id === 'string' && object.protocol_id !== '') this.assign(object.protocol_id, `callid:${token}`);
    } else if (typeof object.id === 'string' && 'bridge_type' in object) {
      // Numbered by first appearance only: ids are learned again on every step of a replay.
      if (!this.tokens.has(object.id)) this.assign(object.id, `bridge${this.bridges++}`);
    } else if (typeof object.id === 'string' && 'media_uri' in object) {
      if (!this.tokens.has(object.id)) this.assign(object.id, `playback${this.playbacks++}`);
    }
    for (const child of Object.values(object)) this.learn(child);
  }

  token(value: string): string {
    return this.tokens.get(value) ?? value;
  }

  /** The run's value for a token (to send the recorded requests with this run's ids). */
  valueOf(token: string): string | undefined {
    return this.reverse.get(token);
  }

  mapString(value: string): string {
    const exact = this.tokens.get(value);
    if (exact) return exact;
    if (value.includes('/')) return value.split('/').map((part) => this.tokens.get(part) ?? this.snoopSuffix(part)).join('/');
    const colon = value.indexOf(':');
    if (colon > 0 && this.tokens.has(value.slice(colon + 1))) return `${value.slice(0, colon)}:${this.tokens.get(value.slice(colon + 1))}`;
    if (value.includes(',')) return value.split(',').map((part) => this.mapString(part)).join(',');
    return value;
  }

  /** The `<channel id>-<8 hex>` of a snoop channel's name `Snoop/<id>-<hex>`: the id replaced by its token. */
  private snoopSuffix(part: string): string {
    const match = /^(\d+\.\d+)-([0-9a-f]{8})$/.exec(part);
    const token = match ? this.tokens.get(match[1]!) : undefined;
    return token ? `${token}-${match![2]}` : part;
  }

  normalize(value: unknown, key = ''): unknown {
    if (typeof value === 'string') {
      if (TIME_KEYS.has(key)) {
        if (!TIMESTAMP.test(value)) this.badTimestamps.push(`${key}=${value}`);
        return '<timestamp>';
      }
      return this.mapString(value);
    }
    if (Array.isArray(value)) return value.map((item) => this.normalize(item));
    if (!value || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(object)) out[k] = this.normalize(v, k);
    if (typeof object.variable === 'string' && object.variable.startsWith('RTPAUDIOQOS')) out.value = '<rtp-statistics>';
    return out;
  }
}
