import { z } from 'zod';
import { channelVars, type AriEvent, type ChannelInfo } from './types.ts';

const rawChannel = z.object({
  id: z.string().min(1),
  name: z.string().default(''),
  state: z.string().default('Down'),
  caller: z.object({ number: z.string().default('') }).partial().default({}),
  dialplan: z.object({ exten: z.string().default('') }).partial().default({}),
  channelvars: z.record(z.string(), z.string().nullable()).optional(),
});

type RawChannel = z.infer<typeof rawChannel>;

const channelEvent = z.object({ channel: rawChannel });
const schemas = {
  StasisStart: channelEvent.extend({ args: z.array(z.string()).default([]) }),
  StasisEnd: channelEvent,
  ChannelDtmfReceived: channelEvent.extend({ digit: z.string().min(1) }),
  ChannelHangupRequest: channelEvent.extend({ cause: z.number().optional(), soft: z.boolean().optional() }),
  ChannelDestroyed: channelEvent.extend({ cause: z.number().default(0), cause_txt: z.string().default('') }),
  ChannelHold: channelEvent,
  ChannelUnhold: channelEvent,
  PlaybackFinished: z.object({ playback: z.object({ id: z.string(), target_uri: z.string().default(''), state: z.string().default('') }) }),
  RecordingFinished: z.object({ recording: z.object({ name: z.string(), target_uri: z.string().default(''), duration: z.number().optional() }) }),
} as const;

/**
 * The event's type when the message names it before any nested member: Asterisk writes `type` first or after a
 * few plain members (`{"variable":…,"value":…,"type":"ChannelVarset"`, `{"cause":…,"type":"ChannelHangupRequest"`).
 * A JSON string cannot hold an unescaped quote, so a match is the first top-level `type` (Asterisk never repeats a
 * member). Only the message's start is searched, which bounds the work per message; a type further in is found
 * by the full parse.
 */
const leadingType = /^\s*\{(?:\s*"[^"\\]*"\s*:\s*(?:"(?:[^"\\]|\\.)*"|-?[\d.eE+-]+|true|false|null)\s*,)*\s*"type"\s*:\s*"([A-Za-z]+)"/;

const leadingTypeScanChars = 4096;

const handled = (type: string): type is keyof typeof schemas => Object.hasOwn(schemas, type);

export type ParseResult = { ok: true; event: AriEvent } | { ok: false; ignored: true; type: string } | { ok: false; ignored: false; reason: string };

/**
 * One websocket message → a typed event. Types no handler uses are ignored without being validated (ARI
 * sends many per call: ChannelStateChange, ChannelVarset, Dial, PlaybackStarted, BridgeDestroyed…), most of them
 * without being parsed, so such a message is skipped even if the rest of it is malformed. Otherwise a message that
 * is not JSON or lacks the fields its type needs is malformed, and the caller logs and skips it.
 */
export function parseAriMessage(message: string): ParseResult {
  // Most of a call's events are types no handler reads: known from the message's start, they skip the parse.
  const lead = leadingType.exec(message.slice(0, leadingTypeScanChars))?.[1];
  if (lead !== undefined && !handled(lead)) return { ok: false, ignored: true, type: lead };
  let raw: unknown;
  try {
    raw = JSON.parse(message);
  } catch {
    return { ok: false, ignored: false, reason: 'not JSON' };
  }
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  if (typeof type !== 'string') return { ok: false, ignored: false, reason: 'no event type' };
  if (!handled(type)) return { ok: false, ignored: true, type };
  const parsed = schemas[type].safeParse(raw);
  if (!parsed.success) return { ok: false, ignored: false, reason: `${type}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` };
  return { ok: true, event: toEvent(type, parsed.data) };
}

function toEvent(type: keyof typeof schemas, data: any): AriEvent {
  switch (type) {
    case 'StasisStart':
      return { type, channel: toChannel(data.channel), args: data.args };
    case 'ChannelDtmfReceived':
      return { type, channel: toChannel(data.channel), digit: data.digit };
    case 'ChannelHangupRequest':
      return { type, channel: toChannel(data.channel), ...(data.cause === undefined ? {} : { cause: data.cause }), ...(data.soft === undefined ? {} : { soft: data.soft }) };
    case 'ChannelDestroyed':
      return { type, channel: toChannel(data.channel), cause: data.cause, causeText: data.cause_txt };
    case 'StasisEnd':
    case 'ChannelHold':
    case 'ChannelUnhold':
      return { type, channel: toChannel(data.channel) };
    case 'PlaybackFinished':
      return { type, playbackId: data.playback.id, target: data.playback.target_uri, state: data.playback.state };
    case 'RecordingFinished':
      return { type, name: data.recording.name, target: data.recording.target_uri, ...(data.recording.duration === undefined ? {} : { durationSeconds: data.recording.duration }) };
  }
}

export function toChannel(raw: RawChannel): ChannelInfo {
  const vars = raw.channelvars ?? {};
  const callId = vars[channelVars.callId];
  const courtId = vars[channelVars.courtId];
  return {
    id: raw.id,
    name: raw.name,
    state: raw.state,
    callerNumber: raw.caller.number ?? '',
    dialled: raw.dialplan.exten ?? '',
    ...(callId ? { callId } : {}),
    ...(courtId ? { courtId } : {}),
  };
}

export function parseChannel(raw: unknown): ChannelInfo | undefined {
  const parsed = rawChannel.safeParse(raw);
  return parsed.success ? toChannel(parsed.data) : undefined;
}
