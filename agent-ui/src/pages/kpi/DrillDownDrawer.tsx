import { Alert, Button, Drawer, Table, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { kpiParams, type DrillDown, type Measure, type Span } from '../../api/kpi.ts';
import type { Ticket } from '../../api/types.ts';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { measureLabel } from './BreakdownTable.tsx';
import type { DrillTarget } from './drill-target.ts';
import { TicketTrail } from './TicketTrail.tsx';

const pageSize = 20;

/** The calls or tickets behind a figure (GET /api/kpi/drilldown), one tab per measure; a ticket opens its trail. */
export function DrillDownDrawer({ target, span, asOf, onClose }: { target: DrillTarget | undefined; span: Span; asOf?: string | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const [measure, setMeasure] = useState<Measure>();
  const [ticketId, setTicketId] = useState<string>();
  useEffect(() => setMeasure(target?.measures[0]), [target]);
  return (
    <Drawer open={Boolean(target)} onClose={onClose} size="large" title={target ? t('kpi.drill.title', { name: target.title }) : ''} destroyOnHidden data-testid="kpi-drill">
      {target && measure && (
        <Tabs
          activeKey={measure}
          onChange={(key) => setMeasure(key as Measure)}
          items={target.measures.map((m) => ({ key: m, label: t(`kpi.${measureLabel[m] ?? m}`), children: m === measure ? <DrillList target={target} span={span} asOf={asOf} measure={m} onTicket={setTicketId} /> : null }))}
        />
      )}
      <TicketTrail ticketId={ticketId} onClose={() => setTicketId(undefined)} />
    </Drawer>
  );
}

function DrillList({ target, span, asOf, measure, onTicket }: { target: DrillTarget; span: Span; asOf: string | undefined; measure: Measure; onTicket: (id: string) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<DrillDown>();
  const [tickets, setTickets] = useState<Record<string, Ticket>>({});
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let current = true;
    setLoading(true);
    const query = kpiParams(span, { measure, grain: target.grain, bucket: target.bucket, by: target.by, key: target.key ?? undefined, limit: pageSize, offset: (page - 1) * pageSize, asOf });
    api.get<DrillDown>(`/api/kpi/drilldown?${query}`).then(
      async (found) => {
        if (!current) return;
        setResult(found);
        if (found.kind === 'ticket') {
          // A ticket that cannot be read keeps its row, marked as unread (never a bare id passed off as a name).
          const loaded = await Promise.all(found.rows.map((r) => api.get<Ticket>(`/api/tickets/${r.id}`).catch(() => undefined)));
          if (current) setTickets(Object.fromEntries(loaded.filter((x): x is Ticket => Boolean(x)).map((x) => [x.id, x])));
        }
        setLoading(false);
      },
      (err) => current && (setError(errorText(err)), setLoading(false)),
    );
    return () => void (current = false);
  }, [api, span, asOf, measure, target, page]);

  if (error) return <Alert type="error" title={error} />;
  const isTicket = result?.kind === 'ticket';
  return (
    <>
      <Typography.Text type="secondary">{result ? t('kpi.drill.more', { total: result.total }) : ''}</Typography.Text>
      <Table
        size="small"
        loading={loading}
        rowKey="id"
        dataSource={result?.rows ?? []}
        locale={{ emptyText: t('kpi.drill.empty') }}
        pagination={{ current: page, pageSize, total: result?.total ?? 0, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
        columns={[
          { title: t('kpi.drill.time'), dataIndex: 'at', render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm') },
          isTicket
            ? {
                title: t('kpi.drill.ticket'),
                dataIndex: 'id',
                render: (id: string) => {
                  const ticket = tickets[id];
                  return (
                    <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onTicket(id)}>
                      {ticket ? `${ticket.number} · ${ticket.summary}` : id.slice(0, 8)}
                      {!ticket && !loading && <Tag color="warning" style={{ marginLeft: 4 }} data-testid={`drill-unread-${id}`}>{t('lookups.rowUnread')}</Tag>}
                    </Button>
                  );
                },
              }
            : {
                title: t('kpi.drill.call'),
                dataIndex: 'id',
                render: (id: string) => (
                  <Link to={`/calls/${id}`} data-testid={`call-link-${id}`}>
                    {t('kpi.drill.details')}
                  </Link>
                ),
              },
          ...(isTicket ? [] : [{ title: t('kpi.drill.recording'), dataIndex: 'id', key: 'recording', render: (id: string) => <RecordingPlayer callId={id} /> }]),
          ...(isTicket ? [{ title: t('inbox.stage'), dataIndex: 'id', key: 'stage', render: (id: string) => (tickets[id] ? <Tag>{t(`stages.${tickets[id].stage}`)}</Tag> : null) }] : []),
        ]}
      />
    </>
  );
}

/** A call's recording, streamed by the browser from GET /api/telephony/calls/:callId/recording (roles the API allows). */
function RecordingPlayer({ callId }: { callId: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'playing' | 'none'>('idle');
  if (state === 'none') return <Typography.Text type="secondary">{t('kpi.drill.noRecording')}</Typography.Text>;
  if (state === 'idle')
    return (
      <Button size="small" onClick={() => setState('playing')} data-testid={`play-${callId}`}>
        {t('kpi.drill.play')}
      </Button>
    );
  return <audio controls autoPlay preload="none" style={{ height: 28 }} src={`/api/telephony/calls/${callId}/recording`} onError={() => setState('none')} data-testid={`audio-${callId}`} />;
}
