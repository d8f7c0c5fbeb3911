import { UA, WebSocketInterface } from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { RTCSessionEvent } from 'jssip/lib/UA';

/**
 * The browser softphone: JsSIP registering the operator's PJSIP endpoint over SIP-over-WebSocket to
 * Asterisk, with the settings that work against Asterisk 22 (see /work/shared/asterisk-reference
 * webrtc-softphone.md): register every 120 s, no session timers, audio only, rtcp-mux and max-bundle.
 */
export interface SipSettings {
  webSocketUrl: string;
  domain: string;
  endpoint: string;
  password: string;
}

export type Registration = 'unregistered' | 'registering' | 'registered' | 'failed';
export type Connection = 'connecting' | 'connected' | 'disconnected';
export type CallState = { kind: 'idle' } | { kind: 'ringing'; from: string } | { kind: 'in_call'; from: string; held: boolean; muted: boolean };

export interface PhoneListener {
  onRegistration(state: Registration): void;
  onConnection(state: Connection): void;
  onCall(state: CallState): void;
}

const mediaConstraints = { audio: true, video: false };
const pcConfig: RTCConfiguration = { iceServers: [], rtcpMuxPolicy: 'require', bundlePolicy: 'max-bundle' };

export class SipPhone {
  private readonly ua: UA;
  private session: RTCSession | undefined;
  private call: CallState = { kind: 'idle' };

  constructor(
    settings: SipSettings,
    private readonly listener: PhoneListener,
    private readonly remoteAudio: HTMLAudioElement,
  ) {
    this.ua = new UA({
      sockets: [new WebSocketInterface(settings.webSocketUrl)],
      uri: `sip:${settings.endpoint}@${settings.domain}`,
      authorization_user: settings.endpoint,
      password: settings.password,
      register: true,
      register_expires: 120,
      session_timers: false,
      user_agent: '12368-hotline-console',
    });
    this.ua.on('connecting', () => listener.onConnection('connecting'));
    this.ua.on('connected', () => listener.onConnection('connected'));
    this.ua.on('disconnected', () => listener.onConnection('disconnected'));
    this.ua.on('registered', () => listener.onRegistration('registered'));
    this.ua.on('unregistered', () => listener.onRegistration('unregistered'));
    this.ua.on('registrationFailed', () => listener.onRegistration('failed'));
    this.ua.on('newRTCSession', (event: RTCSessionEvent) => this.onSession(event));
  }

  start(): void {
    this.listener.onRegistration('registering');
    this.ua.start();
  }

  stop(): void {
    this.session?.terminate();
    this.ua.stop();
  }

  answer(): void {
    if (this.call.kind !== 'ringing' || !this.session) return;
    this.session.answer({ mediaConstraints, pcConfig });
  }

  hangUp(): void {
    if (this.session && !this.session.isEnded()) this.session.terminate();
  }

  toggleHold(): void {
    if (this.call.kind !== 'in_call' || !this.session) return;
    if (this.call.held) this.session.unhold();
    else this.session.hold();
  }

  toggleMute(): void {
    if (this.call.kind !== 'in_call' || !this.session) return;
    if (this.call.muted) this.session.unmute({ audio: true });
    else this.session.mute({ audio: true });
  }

  sendDigit(digit: string): void {
    if (this.call.kind === 'in_call') this.session?.sendDTMF(digit);
  }

  private onSession({ session, originator }: RTCSessionEvent): void {
    if (originator !== 'remote') return;
    if (this.session && !this.session.isEnded()) {
      session.terminate({ status_code: 486 }); // busy: one call at a time
      return;
    }
    this.session = session;
    const from = session.remote_identity.display_name || session.remote_identity.uri.user;
    this.set({ kind: 'ringing', from });
    session.on('peerconnection', ({ peerconnection }) => {
      peerconnection.addEventListener('track', (event: RTCTrackEvent) => {
        this.remoteAudio.srcObject = event.streams[0] ?? new MediaStream([event.track]);
        void this.remoteAudio.play().catch(() => undefined);
      });
    });
    session.on('accepted', () => this.set({ kind: 'in_call', from, held: false, muted: false }));
    session.on('hold', () => this.patch({ held: true }));
    session.on('unhold', () => this.patch({ held: false }));
    session.on('muted', () => this.patch({ muted: true }));
    session.on('unmuted', () => this.patch({ muted: false }));
    const end = () => {
      if (this.session === session) this.session = undefined;
      this.set({ kind: 'idle' });
    };
    session.on('ended', end);
    session.on('failed', end);
  }

  private patch(change: Partial<{ held: boolean; muted: boolean }>): void {
    if (this.call.kind === 'in_call') this.set({ ...this.call, ...change });
  }

  private set(state: CallState): void {
    this.call = state;
    this.listener.onCall(state);
  }
}
