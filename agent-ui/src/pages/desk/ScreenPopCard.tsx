import { Card, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallFacts } from './call-facts.ts';
import type { ScreenPop } from './screen-pop.ts';

const clock = (ms: number) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  const mm = String(Math.floor(s / 60) % 60).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
};

/**
 * The call just answered, at a glance: who is calling, what they chose in the menu, how long they waited, how long
 * the call has run (ticking until it ends) and how often they called before.
 */
export function ScreenPopCard({ pop, facts }: { pop: ScreenPop; facts: CallFacts | undefined }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (pop.endedAt) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [pop.endedAt]);
  const since = facts?.answeredAt ? Date.parse(facts.answeredAt) : pop.receivedAt;
  const running = (pop.endedAt ?? now) - since;
  return (
    <Card size="small" data-testid="screen-pop" styles={{ body: { padding: '8px 12px' } }} style={{ marginBottom: 8, borderColor: pop.endedAt ? undefined : '#1677ff' }}>
      <Space wrap size={[16, 4]} style={{ width: '100%' }}>
        <Typography.Text strong style={{ fontSize: 18 }} data-testid="screen-pop-caller">{pop.callerNumber}</Typography.Text>
        <span data-testid="screen-pop-menu">
          {t('desk.menuChoice')}{' '}
          <Tag color={facts?.menuOption ? 'blue' : undefined}>{facts ? (facts.menuOption ? t(`desk.menuOptions.${facts.menuOption}`, { defaultValue: facts.menuOption }) : t('desk.noMenuChoice')) : '…'}</Tag>
        </span>
        <span data-testid="screen-pop-wait">
          {t('desk.waited')} <Typography.Text strong>{facts?.waitSeconds != null ? t('desk.seconds', { value: Math.round(facts.waitSeconds) }) : '—'}</Typography.Text>
        </span>
        <span data-testid="screen-pop-timer">
          {pop.endedAt ? <Tag color={pop.notConnected ? 'orange' : undefined}>{t(pop.notConnected ? 'desk.callNotConnected' : 'desk.callEnded')}</Tag> : <Tag color="red">{t('desk.onCall')}</Tag>}
          <Typography.Text strong style={{ fontVariantNumeric: 'tabular-nums' }}>{clock(running)}</Typography.Text>
        </span>
        <Typography.Text type="secondary">{t('desk.previousCalls', { count: pop.previousCalls })}</Typography.Text>
      </Space>
    </Card>
  );
}
