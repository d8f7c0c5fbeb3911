import { useEffect, useRef, useState } from 'react';
import { useLookup } from '../api/useLookup.ts';
import { Ringtone } from './ringtone.ts';
import { SipPhone, type CallState, type Connection, type Registration } from './sip-phone.ts';

export interface SoftphoneSettings {
  webSocketUrl: string;
  domain: string;
  endpoint: string | null;
  password: string | null;
}

export type MicState = 'unknown' | 'granted' | 'denied';

/**
 * The softphone's life in the desk: loads the operator's settings (GET /api/console/softphone), checks the
 * microphone, registers with Asterisk, rings on an incoming call, and stops everything when the desk closes.
 * `password` is the operator's own when the deployment derives none (kept in memory only).
 */
export function useSoftphone(remoteAudio: React.RefObject<HTMLAudioElement | null>) {
  const settings = useLookup<SoftphoneSettings>('/api/console/softphone', 'softphone').data;
  const [password, setPassword] = useState<string>();
  const [registration, setRegistration] = useState<Registration>('unregistered');
  const [connection, setConnection] = useState<Connection>('disconnected');
  const [call, setCall] = useState<CallState>({ kind: 'idle' });
  const [mic, setMic] = useState<MicState>('unknown');
  const phone = useRef<SipPhone>(undefined);

  useEffect(() => {
    navigator.mediaDevices?.getUserMedia({ audio: true }).then(
      (stream) => {
        stream.getTracks().forEach((track) => track.stop());
        setMic('granted');
      },
      () => setMic('denied'),
    );
  }, []);

  const secret = settings?.password ?? password;
  useEffect(() => {
    if (!settings?.endpoint || !secret || !remoteAudio.current) return;
    const ringtone = new Ringtone();
    const sip = new SipPhone({ webSocketUrl: settings.webSocketUrl, domain: settings.domain, endpoint: settings.endpoint, password: secret }, {
      onRegistration: setRegistration,
      onConnection: setConnection,
      onCall: (state) => {
        if (state.kind === 'ringing') ringtone.start();
        else ringtone.stop();
        setCall(state);
      },
    }, remoteAudio.current);
    phone.current = sip;
    sip.start();
    return () => {
      ringtone.stop();
      sip.stop();
      phone.current = undefined;
    };
  }, [settings, secret, remoteAudio]);

  return {
    settings,
    needsPassword: Boolean(settings?.endpoint && !settings.password && !password),
    setPassword,
    registration,
    connection,
    call,
    mic,
    answer: () => phone.current?.answer(),
    hangUp: () => phone.current?.hangUp(),
    toggleHold: () => phone.current?.toggleHold(),
    toggleMute: () => phone.current?.toggleMute(),
    sendDigit: (digit: string) => phone.current?.sendDigit(digit),
  };
}
