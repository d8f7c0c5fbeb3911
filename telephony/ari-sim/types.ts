/** JSON shapes exactly as Asterisk 22's ARI sends them (key order matters for fidelity tests). */

export interface CallerIdJson {
  name: string;
  number: string;
}

export interface DialplanJson {
  context: string;
  exten: string;
  priority: number;
  app_name: string;
  app_data: string;
}

export type ChannelState = 'Down' | 'Ring' | 'Ringing' | 'Up';

export interface ChannelJson {
  id: string;
  name: string;
  state: ChannelState;
  protocol_id: string;
  caller: CallerIdJson;
  connected: CallerIdJson;
  accountcode: string;
  dialplan: DialplanJson;
  creationtime: string;
  language: string;
  channelvars?: Record<string, string>;
}

export interface BridgeJson {
  id: string;
  technology: string;
  bridge_type: string;
  bridge_class: 'stasis';
  creator: 'Stasis';
  name: string;
  channels: string[];
  creationtime: string;
  video_mode: 'talker';
}

export type PlaybackState = 'queued' | 'playing' | 'paused' | 'done' | 'failed' | 'canceled';

export interface PlaybackJson {
  id: string;
  media_uri: string;
  target_uri: string;
  language: string;
  state: PlaybackState;
}

export type RecordingState = 'queued' | 'recording' | 'paused' | 'done' | 'failed' | 'canceled';

export interface LiveRecordingJson {
  name: string;
  format: string;
  state: RecordingState;
  target_uri: string;
  duration?: number;
  cause?: string;
}

export interface StoredRecordingJson {
  name: string;
  format: string;
}

export interface EndpointJson {
  technology: string;
  resource: string;
  state: 'online' | 'offline';
  channel_ids: string[];
}

export interface ApplicationJson {
  name: string;
  channel_ids: string[];
  bridge_ids: string[];
  endpoint_ids: string[];
  device_names: string[];
  events_allowed: unknown[];
  events_disallowed: unknown[];
}

/** Every event type the stand-in emits (one source for the type and the API description's check). */
export const ARI_EVENT_TYPES = [
  'StasisStart',
  'StasisEnd',
  'ChannelStateChange',
  'ChannelDtmfReceived',
  'ChannelVarset',
  'ChannelHangupRequest',
  'ChannelDestroyed',
  'ChannelDialplan',
  'ChannelConnectedLine',
  'ChannelHold',
  'ChannelUnhold',
  'ChannelEnteredBridge',
  'ChannelLeftBridge',
  'BridgeDestroyed',
  'Dial',
  'PlaybackStarted',
  'PlaybackFinished',
  'RecordingStarted',
  'RecordingFinished',
  'ChannelUserevent',
] as const;

export type AriEventType = (typeof ARI_EVENT_TYPES)[number];

/** An event as sent on the websocket: `type`, `timestamp`, per-type fields, `asterisk_id`, `application`. */
export interface AriEvent {
  type: AriEventType;
  timestamp: string;
  asterisk_id: string;
  application: string;
  channel?: ChannelJson;
  peer?: ChannelJson;
  bridge?: BridgeJson;
  playback?: PlaybackJson;
  recording?: LiveRecordingJson;
  args?: string[];
  digit?: string;
  duration_ms?: number;
  cause?: number;
  soft?: boolean;
  tech_cause?: number;
  cause_txt?: string;
  variable?: string;
  value?: string;
  dialstatus?: string;
  forward?: string;
  dialstring?: string;
  dialplan_app?: string;
  dialplan_app_data?: string;
  musicclass?: string;
}
