import { Alert, Button, Card, Col, Descriptions, Empty, Row, Spin, Table, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useCategories } from '../../api/useCategories.ts';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { TicketTrail } from '../kpi/TicketTrail.tsx';
import { RecordingHolds } from './RecordingHolds.tsx';

/** GET /api/telephony/calls/:callId (telephony/call-detail.routes.ts). */
export interface CallDetail {
  id: string;
  callerNumber: string | null;
  dialled: string;
  arrivedAt: string;
  endedAt: string | null;
  outcome: string | null;
  hangupBy: string | null;
  inHours: boolean | null;
  menuOption: string | null;
  skill: string | null;
  queuedAt: string | null;
  answeredAt: string | null;
  waitSeconds: number | null;
  talkSeconds: number | null;
  operator: { id: string; name: string } | null;
  events: Array<{ at: string; kind: string; operator: { id: string; name: string } | null; detail: Record<string, unknown> }>;
  transfers: Array<{ seq: number; mode: string; targetKind: string; targetLabel: string; startedAt: string; answeredAt: string | null; endedAt: string | null; outcome: string | null }>;
  recordings: Array<{ kind: string; status: string }>;
  tickets: Array<{ id: string; number: string; stage: string; category: string }>;
}

const time = (at: string | null) => (at ? dayjs(at).format('YYYY-MM-DD HH:mm:ss') : '—');

/**
 * One call as a manager reviews it (or the operator who took it): when it came, what the caller chose, how long they
 * waited, who answered, where it was transferred, its recording and the tickets it led to.
 */
export default function CallPage() {
  const { t } = useTranslation();
  const api = useApi();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const { nameOf } = useCategories();
  const { callId } = useParams();
  const [call, setCall] = useState<CallDetail>();
  const [error, setError] = useState<string>();
  const [ticketId, setTicketId] = useState<string>();
  useEffect(() => {
    setCall(undefined);
    setError(undefined);
    if (callId) api.get<CallDetail>(`/api/telephony/calls/${callId}`).then(setCall, (err) => setError(errorText(err)));
  }, [api, callId]);

  const duration = (s: number | null) => (s === null ? '—' : s < 60 ? t('call.seconds', { value: Math.round(s) }) : t('call.minutes', { m: Math.floor(s / 60), s: Math.round(s % 60) }));
  const back = <Button onClick={() => navigate(-1)}>{t('call.back')}</Button>;
  if (error) return <Card title={t('call.title')} extra={back}><Alert type="error" showIcon title={error} /></Card>;
  if (!call) return <Card title={t('call.title')}><Spin /></Card>;

  const outcome = call.outcome ?? 'open';
  const conversation = call.recordings.find((r) => r.kind === 'conversation' && r.status === 'stored');
  const message = call.recordings.find((r) => r.kind === 'message' && r.status === 'stored');
  return (
    <Card title={`${t('call.title')} · ${time(call.arrivedAt)}`} extra={back} data-testid="call-page">
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} data-testid="call-facts">
            <Descriptions.Item label={t('call.caller')}>{call.callerNumber ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('call.outcome')}>
              <Tag color={outcome === 'answered' || outcome === 'transferred' ? 'green' : outcome === 'open' ? 'blue' : 'orange'}>{t(`call.outcomes.${outcome}`, { defaultValue: outcome })}</Tag>
              {call.inHours === false && <Tag>{t('call.afterHours')}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('call.menu')}>{call.menuOption ? t(`call.options.${call.menuOption}`, { defaultValue: call.menuOption }) : t('call.noMenu')}</Descriptions.Item>
            <Descriptions.Item label={t('call.queue')}>{duration(call.waitSeconds)}</Descriptions.Item>
            <Descriptions.Item label={t('call.operator')}>{call.operator?.name ?? t('call.none')}</Descriptions.Item>
            <Descriptions.Item label={t('call.talk')}>{duration(call.talkSeconds)}</Descriptions.Item>
            <Descriptions.Item label={t('call.arrived')}>{time(call.arrivedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('call.ended')}>{time(call.endedAt)}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 16 }}>{t('call.recording')}</Typography.Title>
          {conversation || message ? (
            <>
              {conversation && <Recording callId={call.id} kind="conversation" />}
              {message && (
                <div>
                  <Typography.Text type="secondary">{t('call.message')}</Typography.Text> <Recording callId={call.id} kind="message" />
                </div>
              )}
            </>
          ) : (
            <Typography.Text type="secondary" data-testid="call-no-recording">
              {call.recordings.some((r) => r.status === 'removed') ? t('call.recordingRemoved') : t('call.noRecording')}
            </Typography.Text>
          )}
          <RecordingHolds callId={call.id} recordings={call.recordings} />
          <Typography.Title level={5} style={{ marginTop: 16 }}>{t('call.tickets')}</Typography.Title>
          {call.tickets.length === 0 ? (
            <Typography.Text type="secondary">{t('call.noTickets')}</Typography.Text>
          ) : (
            call.tickets.map((ticket) => (
              <div key={ticket.id}>
                <Button type="link" style={{ padding: 0 }} onClick={() => setTicketId(ticket.id)} data-testid={`call-ticket-${ticket.number}`}>
                  {ticket.number}
                </Button>{' '}
                <Tag>{t(`stages.${ticket.stage}`, { defaultValue: ticket.stage })}</Tag> {nameOf(ticket.category)}
              </div>
            ))
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>{t('call.transfers')}</Typography.Title>
          <Table
            size="small"
            rowKey="seq"
            pagination={false}
            dataSource={call.transfers}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('call.noTransfers')} /> }}
            columns={[
              { title: t('call.target'), dataIndex: 'targetLabel' },
              { title: t('call.started'), dataIndex: 'startedAt', render: (at: string) => dayjs(at).format('HH:mm:ss') },
              { title: t('call.result'), key: 'result', render: (_, leg) => `${t(`call.modes.${leg.mode}`, { defaultValue: leg.mode })} · ${t(`call.transferOutcomes.${leg.outcome ?? 'open'}`, { defaultValue: leg.outcome ?? '' })}` },
            ]}
          />
        </Col>
        <Col xs={24} xl={10}>
          <Typography.Title level={5}>{t('call.timeline')}</Typography.Title>
          <Timeline
            data-testid="call-timeline"
            items={call.events.map((e, i) => ({
              key: i,
              content: (
                <>
                  {dayjs(e.at).format('HH:mm:ss')} · {t(`call.events.${e.kind}`, { defaultValue: e.kind })}
                  {e.kind === 'menu_choice' && typeof e.detail.option === 'string' ? ` · ${t(`call.options.${e.detail.option}`, { defaultValue: e.detail.option })}` : ''}
                  {e.kind.startsWith('supervision_') && typeof e.detail.mode === 'string' ? ` · ${t(`call.supervisionModes.${e.detail.mode}`, { defaultValue: e.detail.mode })}` : ''}
                  {e.operator ? ` · ${e.operator.name}` : ''}
                </>
              ),
            }))}
          />
        </Col>
      </Row>
      <TicketTrail ticketId={ticketId} onClose={() => setTicketId(undefined)} />
    </Card>
  );
}

/** The browser streams the recording (GET /api/telephony/calls/:callId/recording); a refusal or a missing file says so. */
function Recording({ callId, kind }: { callId: string; kind: 'conversation' | 'message' }) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState(false);
  if (failed) return <Typography.Text type="secondary">{t('kpi.drill.noRecording')}</Typography.Text>;
  return <audio controls preload="none" style={{ height: 32, verticalAlign: 'middle' }} src={`/api/telephony/calls/${callId}/recording?kind=${kind}`} onError={() => setFailed(true)} data-testid={`call-audio-${kind}`} />;
}
