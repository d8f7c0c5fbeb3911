import { Alert, App, Button, Card, Input, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import type { Session } from './types.ts';

const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;
const bySession = (a: Session, b: Session) => a.weekday - b.weekday || a.opens.localeCompare(b.opens);

/** The week of hotline hours (GET/PUT /api/business-hours): each weekday's sessions, none at all = always open. */
export function BusinessHoursTab() {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [sessions, setSessions] = useState<Session[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setSessions((await api.get<{ sessions: Session[] }>('/api/business-hours')).sessions.sort(bySession));
    } catch (err) {
      setError(errorText(err));
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  if (!sessions) return null;
  const dayName = (weekday: number) => t(`settings.hours.weekday.${weekday}`);
  const update = (index: number, patch: Partial<Session>) => setSessions(sessions.map((s, i) => (i === index ? { ...s, ...patch } : s)));

  /** What the server would refuse, said in the admin's words before sending. */
  const problem = (): string | undefined => {
    for (const s of sessions) {
      if (!s.opens || !s.closes) return t('settings.hours.emptyError', { weekday: dayName(s.weekday) });
      if (s.opens >= s.closes) return t('settings.hours.orderError', { weekday: dayName(s.weekday) });
    }
    return undefined;
  };
  const save = async () => {
    const found = problem();
    setError(found);
    if (found) return;
    setBusy(true);
    try {
      const saved = await api.put<{ sessions: Session[] }>('/api/business-hours', { sessions: [...sessions].sort(bySession) });
      setSessions(saved.sessions.sort(bySession));
      void message.success(t('settings.saved'));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const copyMonday = () => {
    const monday = sessions.filter((s) => s.weekday === 1);
    setSessions([...monday, ...[2, 3, 4, 5].flatMap((weekday) => monday.map((s) => ({ ...s, weekday }))), ...sessions.filter((s) => s.weekday > 5)].sort(bySession));
  };

  return (
    <Space orientation="vertical" style={{ width: '100%', maxWidth: 760 }} size="middle" data-testid="settings-hours">
      <Alert type="info" showIcon title={t('settings.hours.intro')} />
      {sessions.length === 0 && <Alert type="warning" showIcon title={t('settings.hours.alwaysOpen')} />}
      {error && <Alert type="error" showIcon title={error} data-testid="hours-error" />}
      <Card size="small">
        {weekdays.map((weekday) => {
          const mine = sessions.map((s, index) => ({ s, index })).filter(({ s }) => s.weekday === weekday);
          return (
            <div key={weekday} style={{ display: 'flex', gap: 12, alignItems: 'flex-start', padding: '6px 0', borderBottom: '1px solid rgba(5,5,5,0.06)' }}>
              <Typography.Text strong style={{ width: 96, flex: 'none', lineHeight: '32px' }}>
                {dayName(weekday)}
              </Typography.Text>
              <Space orientation="vertical" size={6} style={{ flex: 1 }}>
                {mine.length === 0 && <Typography.Text type="secondary" style={{ lineHeight: '32px' }}>{t('settings.hours.closed')}</Typography.Text>}
                {mine.map(({ s, index }, n) => (
                  <Space key={index} wrap>
                    <Input type="time" aria-label={`${dayName(weekday)} ${t('settings.hours.opens')} ${n + 1}`} value={s.opens} onChange={(e) => update(index, { opens: e.target.value })} style={{ width: 130 }} />
                    <span>–</span>
                    <Input type="time" aria-label={`${dayName(weekday)} ${t('settings.hours.closes')} ${n + 1}`} value={s.closes} onChange={(e) => update(index, { closes: e.target.value })} style={{ width: 130 }} />
                    <Button type="link" danger onClick={() => setSessions(sessions.filter((_, i) => i !== index))}>
                      {t('settings.hours.remove')}
                    </Button>
                  </Space>
                ))}
              </Space>
              <Button aria-label={`${dayName(weekday)} ${t('settings.hours.add')}`} onClick={() => setSessions([...sessions, { weekday, opens: '08:30', closes: '12:00' }])}>
                {t('settings.hours.add')}
              </Button>
            </div>
          );
        })}
      </Card>
      <Space>
        <Button type="primary" loading={busy} onClick={save} data-testid="hours-save">
          {t('settings.save')}
        </Button>
        <Button onClick={copyMonday}>{t('settings.hours.copyWeekdays')}</Button>
        <Button onClick={() => void load()}>{t('settings.refresh')}</Button>
      </Space>
    </Space>
  );
}
