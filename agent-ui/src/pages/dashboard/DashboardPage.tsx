import { Alert, Button, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { percent, target, type Rate } from '../../api/kpi.ts';
import { CheckAlert } from '../kpi/CheckAlert.tsx';
import { paths } from '../../paths.ts';
import { useApi } from '../../session/SessionProvider.tsx';
import { useWallboard } from './useWallboard.ts';

const stateColour: Record<string, string> = { ready: 'green', paused: 'orange', ringing: 'blue', on_call: 'red', wrap_up: 'purple', logged_out: 'default' };
const stateLabel: Record<string, string> = { ready: 'ready', paused: 'not_ready', ringing: 'on_call', on_call: 'on_call', wrap_up: 'wrap_up', logged_out: 'offline' };
const shownStates = ['ready', 'on_call', 'wrap_up', 'paused'] as const;

const clock = (ms: number) => {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
};

/**
 * The manager's live wallboard: callers waiting and the longest wait (ticking), operators by state, and
 * today's connection and completion rates against 95%, with the score.
 */
export function DashboardPage() {
  const { t } = useTranslation();
  const api = useApi();
  const navigate = useNavigate();
  const board = useWallboard();
  const [now, setNow] = useState(Date.now());
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => void api.get<Array<{ id: string; displayName: string }>>('/api/console/operators').then((list) => setNames(Object.fromEntries(list.map((o) => [o.id, o.displayName]))), () => undefined), [api]);

  const waiting = board.queue?.waiting ?? [];
  const longest = waiting.length ? Math.max(...waiting.map((w) => w.waitedMs)) + (now - board.queueAt) : 0;
  const operators = (board.queue?.operators ?? []).filter((o) => o.state !== 'logged_out');
  const countOf = (state: string) => operators.filter((o) => (state === 'on_call' ? o.state === 'on_call' || o.state === 'ringing' : o.state === state)).length;
  const kpis = board.today?.total.kpis;
  const rate = (title: string, value: Rate | undefined, testId: string) => (
    <Card size="small" data-testid={testId}>
      <Statistic title={`${title} · ${t('kpi.target')}`} value={percent(value ?? null)} styles={{ content: { color: value == null ? undefined : value >= target ? '#389e0d' : '#cf1322' } }} />
    </Card>
  );

  return (
    <Card
      title={t('wallboard.title')}
      extra={
        <Space>
          {board.at && <Typography.Text type="secondary">{t('wallboard.updatedAt', { time: dayjs(board.at).format('HH:mm:ss') })}</Typography.Text>}
          <Button onClick={() => navigate(paths.kpi)}>{t('wallboard.kpiLink')}</Button>
        </Space>
      }
    >
      {board.queueUnavailable && <Alert type="info" showIcon title={t(board.queueUnavailable === 'forbidden' ? 'wallboard.forbidden' : 'wallboard.unavailable')} style={{ marginBottom: 16 }} />}
      <CheckAlert table={board.today} />
      <Row gutter={[16, 16]}>
        <Col xs={12} lg={6}>
          <Card size="small" data-testid="wallboard-waiting">
            <Statistic title={t('wallboard.waiting')} value={board.queue ? waiting.length : '—'} styles={{ content: { color: waiting.length > 0 ? '#cf1322' : undefined } }} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small" data-testid="wallboard-longest">
            <Statistic title={t('wallboard.longestWait')} value={board.queue ? clock(longest) : '—'} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>{rate(t('wallboard.todayConnection'), kpis?.connectionRate.combined, 'wallboard-connection')}</Col>
        <Col xs={12} lg={6}>{rate(t('wallboard.todayCompletion'), kpis?.completionRate, 'wallboard-completion')}</Col>
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        {shownStates.map((state) => (
          <Col xs={12} lg={4} key={state}>
            <Card size="small" data-testid={`wallboard-state-${state}`}>
              <Statistic title={t(`desk.status.${stateLabel[state]}`)} value={board.queue ? countOf(state) : '—'} />
            </Card>
          </Col>
        ))}
        <Col xs={24} lg={8}>
          <Card size="small" data-testid="wallboard-score">
            <Statistic title={t('wallboard.todayScore')} value={kpis?.score == null ? '—' : t('kpi.scoreOf', { score: kpis.score })} />
          </Card>
        </Col>
      </Row>
      <Typography.Title level={5} style={{ marginTop: 24 }}>{t('wallboard.byState')}</Typography.Title>
      <Table
        size="small"
        rowKey="userId"
        pagination={false}
        data-testid="wallboard-operators"
        locale={{ emptyText: t('wallboard.noOperators') }}
        dataSource={operators}
        columns={[
          { title: t('wallboard.operator'), dataIndex: 'userId', render: (id: string) => names[id] ?? id.slice(0, 8) },
          {
            title: t('wallboard.state'),
            dataIndex: 'state',
            render: (state: string, o) => (
              <>
                <Tag color={stateColour[state] ?? 'default'}>{t(`desk.status.${stateLabel[state] ?? 'unknown'}`)}</Tag>
                {state === 'paused' && o.reason ? t(`desk.reasons.${o.reason}`, { defaultValue: o.reason }) : null}
              </>
            ),
          },
          { title: t('wallboard.since'), dataIndex: 'since', render: (since: string | null) => (since ? clock(now - Date.parse(since)) : '') },
        ]}
      />
    </Card>
  );
}
