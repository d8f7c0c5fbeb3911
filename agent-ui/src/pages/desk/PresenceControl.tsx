import { Alert, App, Button, Card, Select, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { useRealtimeEvents } from '../../realtime/RealtimeProvider.tsx';
import { useApi, useProfile } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { useHotkeys } from '../../shell/useHotkeys.ts';
import { pauseReasons, presenceFromEvent, type PresenceView } from './presence.ts';

const colour: Record<string, string> = { ready: 'green', paused: 'orange', ringing: 'blue', on_call: 'red', wrap_up: 'purple', logged_out: 'default' };
const labelKey: Record<string, string> = { ready: 'ready', paused: 'not_ready', ringing: 'on_call', on_call: 'on_call', wrap_up: 'wrap_up', logged_out: 'offline' };

/** Ready / paused with a reason; the state shown is always the server's (the request, then presence.changed). Alt+R / Alt+P. */
export function PresenceControl() {
  const { t } = useTranslation();
  const api = useApi();
  const profile = useProfile();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [presence, setPresence] = useState<PresenceView>();
  const [unavailable, setUnavailable] = useState(false);
  const [reason, setReason] = useState<string>('break');
  const [now, setNow] = useState(Date.now());

  const load = useCallback(async () => {
    try {
      setPresence(await api.get<PresenceView>('/api/presence/me'));
      setUnavailable(false);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setUnavailable(true);
    }
  }, [api]);
  useEffect(() => void load(), [load]);
  useRealtimeEvents(['presence.changed', 'resync'], (event) => {
    if (event.type === 'resync') return void load();
    const next = presenceFromEvent(event.data, profile.id);
    if (next) setPresence(next);
  });
  useEffect(() => {
    if (presence?.state !== 'wrap_up') return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [presence?.state]);

  const change = async (state: 'ready' | 'paused') => {
    try {
      setPresence(await api.put<PresenceView>('/api/presence/me', state === 'paused' ? { state, reason } : { state }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setUnavailable(true);
      else void message.error(errorText(err));
    }
  };
  useHotkeys({ 'Alt+R': () => void change('ready'), 'Alt+P': () => void change('paused') });

  const state = presence?.state;
  const wrapUpLeft = state === 'wrap_up' && presence?.wrapUpEndsAt ? Math.max(0, Math.ceil((Date.parse(presence.wrapUpEndsAt) - now) / 1000)) : undefined;
  return (
    <Card size="small" title={t('desk.presence')} data-testid="presence">
      {/* In place of the state and the buttons, which could not work: the card keeps its height on the desk. */}
      {unavailable ? (
        <Alert type="info" showIcon title={t('desk.telephonyUnavailable')} />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text>
            <Tag color={colour[state ?? ''] ?? 'default'} data-testid="presence-state">{t(`desk.status.${labelKey[state ?? ''] ?? 'unknown'}`)}</Tag>
            {state === 'paused' && presence?.reason ? t(`desk.reasons.${presence.reason}`, { defaultValue: presence.reason }) : null}
            {wrapUpLeft !== undefined && t('desk.wrapUp', { seconds: wrapUpLeft })}
          </Typography.Text>
          <Space wrap>
            <Button type="primary" disabled={state === 'ready'} onClick={() => void change('ready')}>{t('desk.ready')} (Alt+R)</Button>
            <Select value={reason} onChange={setReason} style={{ width: 100 }} aria-label={t('desk.pauseReason')} options={pauseReasons.map((r) => ({ value: r, label: t(`desk.reasons.${r}`) }))} />
            <Button disabled={state === 'paused'} onClick={() => void change('paused')}>{t('desk.pause')} (Alt+P)</Button>
          </Space>
        </Space>
      )}
    </Card>
  );
}
