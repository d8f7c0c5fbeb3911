import { App, Button, Card, Col, Row, Segmented, Space, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useRealtimeEvents } from '../../realtime/RealtimeProvider.tsx';
import { useApi, useProfile } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { AutoCallbackForm } from './AutoCallbackForm.tsx';
import { reloadEvents, type Claimed, type UnownedEntry } from './entries.ts';
import { UnownedTable } from './UnownedTable.tsx';

/**
 * 待认领 (docs/console.md): the court's messages, callback requests and callers who gave up, newest first. An operator
 * claims one and owns it (首问负责); a manager reads it and sets the automatic callback; an admin sets only that.
 * Live: an entry someone claims leaves the list at once (unowned.claimed); calls and tickets that may add one reload it.
 */
export default function UnownedPage() {
  const { t } = useTranslation();
  const api = useApi();
  const profile = useProfile();
  const { message } = App.useApp();
  const errorText = useErrorText();
  // The claim's message is rendered outside the router (antd's holder): it navigates with the page's own hook.
  const navigate = useNavigate();
  const [entries, setEntries] = useState<UnownedEntry[]>([]);
  const [loading, setLoading] = useState(true);
  const [days, setDays] = useState(3);
  const [claiming, setClaiming] = useState<string | null>(null);
  const reading = profile.role === 'operator' || profile.role === 'manager';
  const setsAuto = profile.role === 'manager' || profile.role === 'admin';

  const reload = useCallback(async () => {
    if (!reading) return;
    try {
      setEntries((await api.get<{ entries: UnownedEntry[] }>(`/api/telephony/unowned?days=${days}`)).entries);
    } catch (err) {
      void message.error(errorText(err));
    } finally {
      setLoading(false);
    }
  }, [api, days, reading]);
  useEffect(() => void reload(), [reload]);

  // Bursts of calls ending read the queue once.
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(pending.current), []);
  useRealtimeEvents(reloadEvents, () => {
    clearTimeout(pending.current);
    pending.current = setTimeout(() => void reload(), 500);
  });
  useRealtimeEvents(['unowned.claimed'], (event) => {
    const key = (event.data as { key: string }).key;
    setEntries((list) => list.filter((e) => e.key !== key));
  });

  const claim = async (entry: UnownedEntry) => {
    setClaiming(entry.key);
    try {
      const body = entry.ticketId ? { ticketId: entry.ticketId } : { callId: entry.callId };
      const claimed = await api.post<Claimed>('/api/telephony/unowned/claim', body);
      setEntries((list) => list.filter((e) => e.key !== entry.key));
      void message.success(
        <span data-testid="unowned-claimed">
          {t('unowned.claimed', { number: claimed.ticketNumber, caller: claimed.callerNumber ?? entry.callerNumberMasked })} <Typography.Link onClick={() => navigate(`/tickets/${claimed.ticketId}`)}>{t('unowned.openTicket')}</Typography.Link>
        </span>,
        8,
      );
    } catch (err) {
      void message.error(errorText(err));
      void reload();
    } finally {
      setClaiming(null);
    }
  };

  const list = reading && (
    <Card
      size="small"
      title={t('unowned.title')}
      extra={
        <Space>
          {profile.role === 'manager' && <Typography.Text type="secondary">{t('unowned.readOnly')}</Typography.Text>}
          <Typography.Text type="secondary" data-testid="unowned-count">
            {t('unowned.count', { n: entries.length })}
          </Typography.Text>
          <Segmented size="small" value={days} onChange={(v) => setDays(Number(v))} options={[1, 3, 7].map((d) => ({ value: d, label: t(`unowned.daysOption.${d}`) }))} />
          <Button size="small" onClick={() => void reload()}>
            {t('unowned.refresh')}
          </Button>
        </Space>
      }
      styles={{ body: { padding: 8 } }}
    >
      <UnownedTable entries={entries} loading={loading} canClaim={profile.role === 'operator'} claiming={claiming} onClaim={(e) => void claim(e)} />
    </Card>
  );
  if (!setsAuto) return list;
  if (!reading) return <AutoCallbackForm />;
  return (
    <Row gutter={12}>
      <Col xs={24} xl={18}>
        {list}
      </Col>
      <Col xs={24} xl={6}>
        <AutoCallbackForm />
      </Col>
    </Row>
  );
}
