import { Table, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Board, Counts } from './board.ts';

const countColumns = (t: (key: string) => string) =>
  (['overdue', 'dueSoon', 'extensionRequested', 'open'] as (keyof Counts)[]).map((key) => ({
    title: t(`supervision.${key}`),
    dataIndex: key,
    width: 72,
    align: 'right' as const,
    render: (n: number) => (key === 'overdue' && n > 0 ? <b style={{ color: '#cf1322' }}>{n}</b> : n),
  }));

/** The counts by department and by judge. */
export function BoardBreakdown({ board }: { board: Board }) {
  const { t } = useTranslation();
  return (
    <Tabs
      size="small"
      items={[
        {
          key: 'department',
          label: t('supervision.byDepartment'),
          children: (
            <Table
              data-testid="supervision-by-department"
              size="small"
              pagination={false}
              rowKey={(r) => r.departmentId ?? 'none'}
              dataSource={board.departments}
              columns={[{ title: t('supervision.department'), dataIndex: 'departmentName', render: (name: string | null) => name ?? t('supervision.unnamed') }, ...countColumns(t)]}
            />
          ),
        },
        {
          key: 'judge',
          label: t('supervision.byJudge'),
          children: (
            <Table
              data-testid="supervision-by-judge"
              size="small"
              pagination={{ pageSize: 10, hideOnSinglePage: true, size: 'small' }}
              rowKey={(r) => r.handlerUserId ?? 'none'}
              dataSource={board.judges}
              columns={[
                { title: t('supervision.handler'), dataIndex: 'handlerName', render: (name: string | null, r) => <>{name}<div style={{ color: '#8c8c8c', fontSize: 12 }}>{r.departmentName}</div></> },
                ...countColumns(t),
              ]}
            />
          ),
        },
      ]}
    />
  );
}
