import { createSocket, type Socket } from 'node:dgram';

/**
 * The media side of a sipp phone or caller: sipp does the SIP and puts this peer's port in its SDP, the peer
 * sends a tone of its own (PCMA, 20 ms packets) and RFC 4733 digits, and keeps what it receives, so a test can
 * tell whose tone reached it. It sends to where Asterisk's RTP last came from (Asterisk sends first: a prompt,
 * hold music or the bridge), the way a symmetric-RTP phone does; so an operator's peer follows its phone's calls.
 */
export class RtpPeer {
  readonly port: number;
  /** Packets of audio (PT 8) received, with when they arrived. */
  private readonly received: Array<{ at: number; samples: Int16Array }> = [];
  private remote: { address: string; port: number } | undefined;
  private readonly ssrc = (Math.random() * 0xffffffff) >>> 0;
  private seq = Math.floor(Math.random() * 0x8000);
  private ts = Math.floor(Math.random() * 0x7fffffff);
  private phase = 0;
  private digits: string[] = [];
  /** The digit being sent: its start timestamp and packets sent so far. */
  private event: { code: number; startTs: number; sent: number } | undefined;
  private firstAt: number | undefined;
  private onAnswer: (() => void) | undefined;

  private constructor(
    private readonly socket: Socket,
    readonly toneHz: number,
  ) {
    this.port = socket.address().port;
    socket.on('message', (msg, from) => this.receive(msg, from));
  }

  static async open(toneHz: number): Promise<RtpPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((ok, fail) => socket.once('error', fail).bind(0, '127.0.0.1', () => ok()));
    return new RtpPeer(socket, toneHz);
  }

  /** When the first packet came from Asterisk (undefined: none yet). */
  get firstReceivedAt(): number | undefined {
    return this.firstAt;
  }

  /** Keys `digits` (RFC 4733, PT 101) one after another, in place of the tone while each lasts. */
  press(digits: string): void {
    this.digits.push(...digits);
  }

  /** Keys `digits` `afterMs` after Asterisk's first packet (the call was answered: a caller heard the greeting). */
  pressOnAnswer(digits: string, afterMs: number): void {
    this.onAnswer = () => setTimeout(() => this.press(digits), afterMs);
  }

  private receive(msg: Buffer, from: { address: string; port: number }): void {
    if (msg.length < 12 || msg[0]! >> 6 !== 2) return;
    if (!this.remote) {
      this.firstAt = Date.now();
      this.onAnswer?.();
    }
    // A phone's next call comes from another of Asterisk's ports.
    if (this.remote?.port !== from.port || this.remote.address !== from.address) this.remote = { address: from.address, port: from.port };
    if ((msg[1]! & 0x7f) !== 8) return;
    const headerBytes = 12 + (msg[0]! & 0x0f) * 4;
    const samples = new Int16Array(msg.length - headerBytes);
    for (let i = 0; i < samples.length; i++) samples[i] = alawDecode(msg[headerBytes + i]!);
    this.received.push({ at: Date.now(), samples });
    // Three seconds are more than any check looks at.
    if (this.received.length > 200) this.received.splice(0, this.received.length - 150);
  }

  /** Sends the next 20 ms: a digit's event packet if one is being keyed, the tone otherwise. */
  tick(): void {
    if (!this.remote) return;
    if (!this.event && this.digits.length > 0) this.event = { code: dtmfCode(this.digits.shift()!), startTs: this.ts, sent: 0 };
    let packet: Buffer;
    if (this.event) {
      // 8 packets of a growing duration (160 ms), then the end bit three times, as phones send it.
      const e = this.event;
      const end = e.sent >= 8;
      const duration = Math.min(e.sent + 1, 8) * 160;
      packet = Buffer.alloc(16);
      header(packet, 101, e.sent === 0, this.seq, e.startTs, this.ssrc);
      packet[12] = e.code;
      packet[13] = (end ? 0x80 : 0) | 10;
      packet.writeUInt16BE(duration, 14);
      e.sent += 1;
      if (e.sent === 11) this.event = undefined;
    } else {
      packet = Buffer.alloc(12 + 160);
      header(packet, 8, false, this.seq, this.ts, this.ssrc);
      for (let i = 0; i < 160; i++) {
        packet[12 + i] = alawEncode(Math.round(Math.sin(this.phase) * 8000));
        this.phase += (2 * Math.PI * this.toneHz) / 8000;
      }
      this.phase %= 2 * Math.PI;
    }
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (this.ts + 160) >>> 0;
    this.socket.send(packet, this.remote.port, this.remote.address);
  }

  /** Audio packets received in the last `ms`. */
  packetsWithin(ms: number): number {
    const since = Date.now() - ms;
    return this.received.filter((p) => p.at >= since).length;
  }

  /**
   * Of the tones `candidates` (Hz), the one strongest in the audio of the last `ms`, and how many times stronger
   * it is than the next (Goertzel power over the samples received in that time).
   */
  strongest(candidates: number[], ms: number): { hz: number | undefined; ratio: number } {
    const since = Date.now() - ms;
    const packets = this.received.filter((p) => p.at >= since);
    const samples = new Int16Array(packets.reduce((n, p) => n + p.samples.length, 0));
    let at = 0;
    for (const p of packets) {
      samples.set(p.samples, at);
      at += p.samples.length;
    }
    if (samples.length === 0) return { hz: undefined, ratio: 0 };
    const powers = candidates.map((hz) => ({ hz, power: goertzel(samples, hz) })).sort((a, b) => b.power - a.power);
    return { hz: powers[0]!.hz, ratio: powers[0]!.power / Math.max(powers[1]?.power ?? 0, 1e-9) };
  }

  /**
   * Whether this peer received `hz` in the last second: the strongest of `tones` is audio at all (`aboveQuiet` times
   * the power at `quietHz`, a frequency no one sends) and `hz` is it or within 20 dB of it.
   */
  hears(hz: number, o: { tones: number[]; quietHz: number; aboveQuiet: number }): boolean {
    if (this.packetsWithin(1000) < 25) return false;
    const top = this.strongest(o.tones, 1000).hz!;
    if (this.strongest([top, o.quietHz], 1000).ratio < o.aboveQuiet) return false;
    return top === hz || this.strongest([top, hz], 1000).ratio < 100;
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * Sends every peer's next packet each 20 ms (catching up on a late timer, as a real phone's clock would not fall
 * behind), until stopped.
 */
export function pace(peers: () => Iterable<RtpPeer>): { stop(): void } {
  const started = Date.now();
  let sent = 0;
  const timer = setInterval(() => {
    const due = Math.floor((Date.now() - started) / 20);
    // After a long stall (a loaded machine) skip ahead rather than burst more than 100 ms of packets.
    if (due - sent > 5) sent = due - 5;
    for (; sent < due; sent++) for (const peer of peers()) peer.tick();
  }, 20);
  return { stop: () => clearInterval(timer) };
}

function header(packet: Buffer, payloadType: number, marker: boolean, seq: number, ts: number, ssrc: number): void {
  packet[0] = 0x80;
  packet[1] = (marker ? 0x80 : 0) | payloadType;
  packet.writeUInt16BE(seq, 2);
  packet.writeUInt32BE(ts, 4);
  packet.writeUInt32BE(ssrc, 8);
}

function dtmfCode(digit: string): number {
  if (/^[0-9]$/.test(digit)) return Number(digit);
  if (digit === '*') return 10;
  if (digit === '#') return 11;
  throw new Error(`not a DTMF digit: ${digit}`);
}

/** Relative power of `hz` in 8 kHz samples. */
function goertzel(samples: Int16Array, hz: number): number {
  const k = 2 * Math.cos((2 * Math.PI * hz) / 8000);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]! + k * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return (s1 * s1 + s2 * s2 - k * s1 * s2) / samples.length;
}

/** G.711 A-law (ITU-T G.711; the segment search of the reference encoder). */
function alawEncode(sample: number): number {
  let pcm = sample >> 3;
  let mask: number;
  if (pcm >= 0) mask = 0xd5;
  else {
    mask = 0x55;
    pcm = -pcm - 1;
  }
  const ends = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
  const seg = ends.findIndex((end) => pcm <= end);
  if (seg < 0) return 0x7f ^ mask;
  const aval = seg << 4;
  return (aval | (seg < 2 ? (pcm >> 1) & 0x0f : (pcm >> seg) & 0x0f)) ^ mask;
}

function alawDecode(byte: number): number {
  const a = byte ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}
