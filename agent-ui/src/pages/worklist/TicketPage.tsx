import { App, Button, Card, Col, Descriptions, Row, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import type { Judge } from '../../api/types.ts';
import { useLookup } from '../../api/useLookup.ts';
import { useRealtimeEvents } from '../../realtime/RealtimeProvider.tsx';
import { useApi, useProfile } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { HandlerActions } from '../inbox/HandlerActions.tsx';
import { HeadActions } from '../inbox/HeadActions.tsx';
import { TicketDetails } from '../inbox/TicketDetails.tsx';
import { ChaseVoidActions } from './ChaseVoidActions.tsx';
import { TicketCalls } from './TicketCalls.tsx';
import { chinaTime, type TicketPageData } from './types.ts';

const refreshOn = ['ticket.assigned', 'ticket.accepted', 'ticket.overdue', 'ticket.replied', 'ticket.reopened', 'ticket.chased', 'ticket.extension_requested', 'ticket.extension_approved', 'ticket.extension_refused', 'resync'];
const roleKeys = new Set(['operator', 'judge', 'department_head', 'manager', 'admin']);

/** A ticket's own page (/tickets/:id): its details with names, its whole trail, its calls and recordings, and what the reader may do. */
export default function TicketPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const api = useApi();
  const profile = useProfile();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [data, setData] = useState<TicketPageData>();
  const [error, setError] = useState<string>();

  const load = useCallback(() => api.get<TicketPageData>(`/api/tickets/${id}/page`).then(setData, (err) => setError(errorText(err))), [api, id]);
  useEffect(() => void load(), [load]);
  useRealtimeEvents(refreshOn, (event) => {
    if ((event as { data?: { ticketId?: string } }).data?.ticketId === id || (event as { type?: string }).type === 'resync') void load();
  });
  const departmentId = data?.ticket.handlerDepartmentId;
  const decides = profile.role === 'department_head' || profile.role === 'manager';
  const judges = useLookup<Judge[]>(decides && departmentId ? `/api/judges?departmentId=${departmentId}` : undefined, 'judges');

  const run = async (path: string, body?: unknown): Promise<boolean> => {
    try {
      await api.post(path, body);
      void message.success(t('worklist.done'));
      await load();
      return true;
    } catch (err) {
      void message.error(errorText(err));
      return false;
    }
  };

  const back = (
    <Button onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/worklist'))}>{t('worklist.back')}</Button>
  );
  if (error) return <Card title={back}><Typography.Text type="danger">{error}</Typography.Text></Card>;
  if (!data) return <Spin />;
  const { ticket, events, calls } = data;
  return (
    <Card
      size="small"
      title={
        <Space>
          {back}
          <span>{ticket.number}</span>
          <Tag>{t(`stages.${ticket.stage}`)}</Tag>
          {ticket.confidential && <Tag color="purple">{t('worklist.confidential')}</Tag>}
        </Space>
      }
    >
      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <Typography.Title level={5}>{t('worklist.details')}</Typography.Title>
          <TicketDetails ticket={ticket} categoryName={ticket.categoryName ?? ticket.category} />
          <Descriptions column={1} size="small" bordered style={{ marginTop: 8 }}>
            <Descriptions.Item label={t('worklist.owner')}>{ticket.ownerName ?? t('common.none')}</Descriptions.Item>
            <Descriptions.Item label={t('worklist.handler')}>{[ticket.handlerName, ticket.departmentName].filter(Boolean).join(' · ') || t('common.none')}</Descriptions.Item>
            <Descriptions.Item label={t('worklist.createdAt')}>{chinaTime(ticket.createdAt)}</Descriptions.Item>
          </Descriptions>
          {profile.role === 'department_head' && <HandlerActions ticket={ticket} run={run} />}
          {decides && <HeadActions ticket={ticket} judges={judges} run={run} />}
          {decides && <ChaseVoidActions ticket={ticket} canVoid={profile.role === 'manager'} run={run} />}
        </Col>
        <Col xs={24} xl={12}>
          <Typography.Title level={5}>{t('worklist.calls')}</Typography.Title>
          <TicketCalls calls={calls} />
          <Typography.Title level={5} style={{ marginTop: 16 }}>{t('worklist.trail')}</Typography.Title>
          <Timeline
            items={events.map((e) => ({
              key: e.id,
              content: (
                <span data-trail-action={e.action}>
                  {chinaTime(e.at)} · {t(`ticketActions.${e.action}`, { defaultValue: e.action })} ·{' '}
                  {e.actorName ?? (roleKeys.has(e.actorRole) ? t(`roles.${e.actorRole}`) : t('worklist.system'))}
                  {e.actorName && roleKeys.has(e.actorRole) ? `（${t(`roles.${e.actorRole}`)}）` : ''}
                  {e.reason ? ` · ${e.reason}` : ''}
                </span>
              ),
            }))}
          />
        </Col>
      </Row>
    </Card>
  );
}
