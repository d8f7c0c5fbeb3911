import { App, Button, Card, Space, Table, Tag } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useRealtimeEvents } from '../../realtime/RealtimeProvider.tsx';
import { useApi, useProfile } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { apiQuery, chinaTime, type FilterKey, type WorklistPageData, type WorklistRow } from './types.ts';
import { WorklistFilters } from './WorklistFilters.tsx';

const refreshOn = ['ticket.registered', 'ticket.assigned', 'ticket.accepted', 'ticket.overdue', 'ticket.replied', 'ticket.reopened', 'ticket.chased', 'resync'];
const sortKeys: Record<string, string> = { number: 'number', deadline: 'deadline', createdAt: 'created', updatedAt: 'updated' };

/** 工单列表: filtered, sorted and paged by the server (GET /api/tickets); a row opens the ticket's page. */
export default function WorklistPage() {
  const { t } = useTranslation();
  const api = useApi();
  const profile = useProfile();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [params, setParams] = useSearchParams();
  const [data, setData] = useState<WorklistPageData>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);

  // An operator starts with their own tickets (首问负责); everyone else with all they may see.
  const effective = useMemo(() => {
    const p = new URLSearchParams(params);
    if (profile.role === 'operator' && !p.get('scope')) p.set('scope', 'mine');
    return p;
  }, [params, profile.role]);
  const query = apiQuery(effective);

  useEffect(() => {
    let live = true;
    setLoading(true);
    api.get<WorklistPageData>(`/api/tickets?${query}`).then(
      (page) => live && setData(page),
      (err) => live && void message.error(errorText(err)),
    ).finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [api, query, tick]);
  useRealtimeEvents(refreshOn, () => setTick((n) => n + 1));

  const set = (changes: Partial<Record<FilterKey, string>>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) if (value) next.set(key, value); else next.delete(key);
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };
  const sort = effective.get('sort') ?? 'deadline';
  const dir = effective.get('dir') ?? 'asc';
  const order = (key: string) => (sortKeys[key] === sort ? (dir === 'asc' ? 'ascend' : 'descend') : null);
  const exportHref = (format: 'xlsx' | 'csv') => `/api/tickets/export?${apiQuery(effective, ['page', 'pageSize'])}${format === 'csv' ? '&format=csv' : ''}`;

  return (
    <Card
      size="small"
      title={t('worklist.title')}
      extra={
        <Space>
          {profile.role === 'department_head' && <Tag>{t('worklist.scopeHead')}</Tag>}
          <Button type="primary" href={exportHref('xlsx')} download>{t('worklist.export')}</Button>
          <Button href={exportHref('csv')} download>{t('worklist.exportCsv')}</Button>
        </Space>
      }
    >
      <style>{'.worklist-overdue > td { background: #fff1f0 !important; } .worklist-row { cursor: pointer; }'}</style>
      <WorklistFilters role={profile.role} departmentId={profile.departmentId} params={effective} set={set} reset={() => setParams(new URLSearchParams())} />
      <Table<WorklistRow>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={data?.rows ?? []}
        locale={{ emptyText: t('worklist.empty') }}
        rowClassName={(row) => (row.overdue ? 'worklist-row worklist-overdue' : 'worklist-row')}
        onRow={(row) => ({ onClick: () => navigate(`/tickets/${row.id}`), onKeyDown: (e) => e.key === 'Enter' && navigate(`/tickets/${row.id}`), tabIndex: 0 })}
        onChange={(pagination, _filters, sorter) => {
          const s = sorter as SorterResult<WorklistRow>;
          const key = s.order ? sortKeys[String(s.field)] : undefined;
          set({ sort: key ?? '', dir: key ? (s.order === 'descend' ? 'desc' : 'asc') : '', page: String(pagination.current ?? 1), pageSize: String(pagination.pageSize ?? 20) });
        }}
        pagination={{
          current: data?.page ?? 1,
          pageSize: data?.pageSize ?? 20,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          size: 'small',
          showTotal: () => (data?.totalCapped ? t('worklist.totalCapped', { total: data.total }) : t('worklist.total', { total: data?.total ?? 0 })),
        }}
        columns={[
          { title: t('worklist.number'), dataIndex: 'number', key: 'number', sorter: true, sortOrder: order('number'), width: 190 },
          { title: t('worklist.stage'), dataIndex: 'stage', width: 80, render: (stage: string) => <Tag>{t(`stages.${stage}`)}</Tag> },
          {
            title: t('worklist.deadline'),
            dataIndex: 'deadline',
            key: 'deadline',
            sorter: true,
            sortOrder: order('deadline'),
            width: 150,
            render: (deadline: string | null, row) => (
              <>
                {chinaTime(deadline, true)} {row.overdue && <Tag color="red">{t('worklist.overdue')}</Tag>}
              </>
            ),
          },
          { title: t('worklist.category'), dataIndex: 'categoryName', width: 100, render: (name: string | null, row) => name ?? row.category },
          {
            title: t('worklist.summary'),
            dataIndex: 'summary',
            ellipsis: true,
            render: (summary: string, row) => (
              <>
                {row.confidential && <Tag color="purple">{t('worklist.confidential')}</Tag>}
                {summary}
              </>
            ),
          },
          { title: t('worklist.handler'), key: 'handler', width: 150, ellipsis: true, render: (_: unknown, row) => [row.handlerName, row.departmentName].filter(Boolean).join(' · ') },
          { title: t('worklist.owner'), dataIndex: 'ownerName', width: 90, ellipsis: true },
          { title: t('worklist.createdAt'), dataIndex: 'createdAt', key: 'createdAt', sorter: true, sortOrder: order('createdAt'), width: 120, render: (at: string) => chinaTime(at, true) },
          { title: t('worklist.updatedAt'), dataIndex: 'updatedAt', key: 'updatedAt', sorter: true, sortOrder: order('updatedAt'), width: 120, render: (at: string) => chinaTime(at, true) },
        ]}
      />
    </Card>
  );
}
