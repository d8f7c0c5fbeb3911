/**
 * The typed surface of ARI that the rest of telephony sees: events in, commands out.
 * Domain ids travel as channel variables (asterisk-config/ari.conf `channelvars`), so every event carries them.
 */

export interface ChannelInfo {
  id: string;
  name: string;
  /** Down, Ring, Ringing, Up, … */
  state: string;
  callerNumber: string;
  /** The number dialled (dialplan extension), e.g. 12368. */
  dialled: string;
  /** HOTLINE_CALL_ID channel variable, when set. */
  callId?: string;
  /** COURT_ID channel variable, when set. */
  courtId?: string;
}

export interface BridgeInfo {
  id: string;
  channelIds: string[];
}

export type AriEvent =
  | { type: 'StasisStart'; channel: ChannelInfo; args: string[] }
  | { type: 'StasisEnd'; channel: ChannelInfo }
  | { type: 'ChannelDtmfReceived'; channel: ChannelInfo; digit: string }
  /**
   * `soft`: a soft hangup, whose `cause` is then Asterisk's reason flag, not a Q.850 cause: 32 the app's own DELETE,
   * 4 Asterisk shutting down, 16 a channel driver unloaded (main/channel.c ast_softhangup, AST_SOFTHANGUP_*).
   */
  | { type: 'ChannelHangupRequest'; channel: ChannelInfo; cause?: number; soft?: boolean }
  | { type: 'ChannelDestroyed'; channel: ChannelInfo; cause: number; causeText: string }
  | { type: 'ChannelHold' | 'ChannelUnhold'; channel: ChannelInfo }
  | { type: 'PlaybackFinished'; playbackId: string; target: string; state: string }
  | { type: 'RecordingFinished'; name: string; target: string; durationSeconds?: number };

export type AriEventType = AriEvent['type'];

/** Channel variables the controller sets and reads. */
export const channelVars = { callId: 'HOTLINE_CALL_ID', courtId: 'COURT_ID' } as const;

export type AriCommand =
  | { kind: 'answer'; channelId: string }
  | { kind: 'hangup'; channelId: string }
  | { kind: 'play'; channelId: string; playbackId: string; media: string[] }
  | { kind: 'stopPlayback'; playbackId: string }
  | { kind: 'startMoh'; channelId: string }
  | { kind: 'stopMoh'; channelId: string }
  | { kind: 'setVariable'; channelId: string; name: string; value: string }
  | {
      kind: 'originate';
      channelId: string;
      endpoint: string;
      callerId: string;
      timeoutSeconds: number;
      appArgs: string;
      variables: Record<string, string>;
    }
  | { kind: 'createBridge'; bridgeId: string }
  | { kind: 'addToBridge'; bridgeId: string; channelIds: string[] }
  | { kind: 'destroyBridge'; bridgeId: string }
  | { kind: 'record'; channelId: string; name: string; maxSeconds: number }
  | { kind: 'stopRecording'; name: string }
  /** Records a bridge into the call's one recording: wav, ifExists=append, so every bridge of the call adds to it. */
  | { kind: 'recordBridge'; bridgeId: string; name: string }
  | { kind: 'removeFromBridge'; bridgeId: string; channelIds: string[] }
  /** A snoop channel on `channelId` (supervision): `spy` what it hears from the channel, `whisper` what it says into it. */
  | { kind: 'snoop'; channelId: string; snoopId: string; spy: 'none' | 'both' | 'in' | 'out'; whisper: 'none' | 'both' | 'in' | 'out'; appArgs: string };
