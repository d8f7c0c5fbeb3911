import { Alert, Button, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { useProfile } from '../../session/SessionProvider.tsx';
import { LiveCallsCard } from './LiveCallsCard.tsx';
import { useNavigate, useSearchParams } from 'react-router';
import { percent, type Rate } from '../../api/kpi.ts';
import { useLookup } from '../../api/useLookup.ts';
import { CheckAlert } from '../kpi/CheckAlert.tsx';
import { paths } from '../../paths.ts';
import { UnreadNotice } from '../../shell/UnreadNotice.tsx';
import { HourlyChart } from './HourlyChart.tsx';
import { StaleAlert } from './StaleAlert.tsx';
import { rateColour, rateLevel, thresholdColours } from './thresholds.ts';
import { useWallboard } from './useWallboard.ts';

const stateColour: Record<string, string> = { ready: 'green', paused: 'orange', ringing: 'blue', on_call: 'red', wrap_up: 'purple', logged_out: 'default' };
const stateLabel: Record<string, string> = { ready: 'ready', paused: 'not_ready', ringing: 'on_call', on_call: 'on_call', wrap_up: 'wrap_up', logged_out: 'offline' };
const shownStates = ['ready', 'on_call', 'wrap_up', 'paused'] as const;

const clock = (ms: number) => {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
};

/** 大屏: the whole window (and the screen, where the browser allows it), no menu, large type, for a wall display. */
const bigScreenStyle: CSSProperties = { position: 'fixed', inset: 0, zIndex: 1000, overflow: 'auto', background: '#f0f2f5', padding: 24 };

/**
 * The manager's live wallboard: callers waiting and the longest wait (ticking), operators by state, today's
 * connection and completion rates against 95% (green, amber, red), the score, and today by the hour (calls offered
 * and answered, the queue's peak). `?screen=big` is the big-screen mode for a wall display.
 */
export function DashboardPage() {
  const { t } = useTranslation();
  const profile = useProfile();
  const navigate = useNavigate();
  const board = useWallboard();
  const [params, setParams] = useSearchParams();
  const big = params.get('screen') === 'big';
  const [now, setNow] = useState(Date.now());
  const operatorList = useLookup<Array<{ id: string; displayName: string }>>('/api/console/operators', 'operators').data;
  const names = useMemo(() => Object.fromEntries((operatorList ?? []).map((o) => [o.id, o.displayName])), [operatorList]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const enterBig = () => {
    setParams({ screen: 'big' }, { replace: true });
    // Full screen needs the click's user gesture; a browser that refuses still gets the menu-less large view.
    void document.documentElement.requestFullscreen?.().catch(() => undefined);
  };
  const leaveBig = () => {
    setParams({}, { replace: true });
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
  };
  useEffect(() => {
    if (!big) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && leaveBig();
    // Leaving full screen (the browser's own Esc) leaves the big screen too.
    const onFullscreen = () => !document.fullscreenElement && leaveBig();
    window.addEventListener('keydown', onKey);
    document.addEventListener('fullscreenchange', onFullscreen);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('fullscreenchange', onFullscreen);
    };
  }, [big]);

  const waiting = board.queue?.waiting ?? [];
  const longest = waiting.length ? Math.max(...waiting.map((w) => w.waitedMs)) + (now - board.queueAt) : 0;
  const operators = (board.queue?.operators ?? []).filter((o) => o.state !== 'logged_out');
  const countOf = (state: string) => operators.filter((o) => (state === 'on_call' ? o.state === 'on_call' || o.state === 'ringing' : o.state === state)).length;
  const kpis = board.today?.total.kpis;
  const statStyles = (color?: string) => ({ content: { color, ...(big ? { fontSize: 64, lineHeight: 1.1 } : {}) }, title: big ? { fontSize: 24 } : {} });
  const rate = (title: string, value: Rate | undefined, testId: string) => (
    <Card size="small" data-testid={testId} data-level={rateLevel(value) ?? 'none'} style={{ borderTop: `4px solid ${rateColour(value) ?? '#d9d9d9'}` }}>
      <Statistic title={`${title} · ${t('kpi.target')}`} value={percent(value ?? null)} styles={statStyles(rateColour(value))} />
    </Card>
  );

  const body = (
    <>
      {board.queueUnavailable && <Alert type="info" showIcon title={t(board.queueUnavailable === 'forbidden' ? 'wallboard.forbidden' : 'wallboard.unavailable')} style={{ marginBottom: 16 }} />}
      <StaleAlert stale={board.stale} />
      <CheckAlert table={board.today} />
      <Row gutter={[16, 16]}>
        <Col xs={12} lg={6}>
          <Card size="small" data-testid="wallboard-waiting">
            <Statistic title={t('wallboard.waiting')} value={board.queue ? waiting.length : '—'} styles={statStyles(waiting.length > 0 ? thresholdColours.red : undefined)} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small" data-testid="wallboard-longest">
            <Statistic title={t('wallboard.longestWait')} value={board.queue ? clock(longest) : '—'} styles={statStyles()} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>{rate(t('wallboard.todayConnection'), kpis?.connectionRate.combined, 'wallboard-connection')}</Col>
        <Col xs={12} lg={6}>{rate(t('wallboard.todayCompletion'), kpis?.completionRate, 'wallboard-completion')}</Col>
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        {shownStates.map((state) => (
          <Col xs={12} lg={4} key={state}>
            <Card size="small" data-testid={`wallboard-state-${state}`}>
              <Statistic title={t(`desk.status.${stateLabel[state]}`)} value={board.queue ? countOf(state) : '—'} styles={statStyles()} />
            </Card>
          </Col>
        ))}
        <Col xs={24} lg={8}>
          <Card size="small" data-testid="wallboard-score">
            <Statistic title={t('wallboard.todayScore')} value={kpis?.score == null ? '—' : t('kpi.scoreOf', { score: kpis.score })} styles={statStyles(kpis?.score == null ? undefined : kpis.score >= 6 ? thresholdColours.green : thresholdColours.red)} />
          </Card>
        </Col>
      </Row>
      <Card size="small" style={{ marginTop: 16 }} title={<span style={big ? { fontSize: 22 } : undefined}>{t('wallboard.hourly')}</span>} extra={<Typography.Text type="secondary">{t('wallboard.thresholds')}</Typography.Text>}>
        {board.today && <HourlyChart day={dayjs().format('YYYY-MM-DD')} rows={board.today.rows} queue={board.queueByHour ?? []} big={big} />}
      </Card>
      <Typography.Title level={big ? 3 : 5} style={{ marginTop: 24 }}>{t('wallboard.byState')}</Typography.Title>
      <Table
        size={big ? 'large' : 'small'}
        rowKey="userId"
        pagination={false}
        data-testid="wallboard-operators"
        locale={{ emptyText: t('wallboard.noOperators') }}
        dataSource={operators}
        style={big ? { fontSize: 20 } : undefined}
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
      {(profile.role === 'manager' || profile.role === 'department_head') && !big && <LiveCallsCard names={names} now={now} />}
    </>
  );

  const updated = board.at && <Typography.Text type="secondary">{t('wallboard.updatedAt', { time: dayjs(board.at).format('HH:mm:ss') })}</Typography.Text>;
  if (big)
    return (
      <div style={bigScreenStyle} data-testid="wallboard-big">
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
          <Typography.Title level={2} style={{ margin: 0 }}>{t('wallboard.title')}</Typography.Title>
          <Space>
            <UnreadNotice />
            {updated}
            <Button onClick={leaveBig} data-testid="wallboard-leave-big">{t('wallboard.exitBigScreen')}</Button>
          </Space>
        </Space>
        {body}
      </div>
    );
  return (
    <Card
      title={t('wallboard.title')}
      extra={
        <Space>
          {updated}
          <Button onClick={enterBig} data-testid="wallboard-big-screen">{t('wallboard.bigScreen')}</Button>
          <Button onClick={() => navigate(paths.kpi)}>{t('wallboard.kpiLink')}</Button>
        </Space>
      }
    >
      {body}
    </Card>
  );
}
