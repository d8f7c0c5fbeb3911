import { Select, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { decisionStates, type Decision } from './report.ts';

const colour = { open: 'gold', done: 'green', dropped: 'default' } as const;

interface Props {
  decisions: Decision[];
  /** Set: the state is a select that saves; absent: read-only (a carried list, or someone who may not change it). */
  onState?: (decision: Decision, state: Decision['state']) => void;
  /** Show the week of the report each decision was recorded against (the carried list). */
  withWeek?: boolean;
  testId: string;
}

/** Decisions with who owns them, by when, their state, and who recorded them when. */
export function DecisionTable({ decisions, onState, withWeek, testId }: Props) {
  const { t } = useTranslation();
  return (
    <Table<Decision>
      data-testid={testId}
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={decisions}
      locale={{ emptyText: t('reports.nothing') }}
      columns={[
        ...(withWeek ? [{ title: t('reports.fromWeek'), dataIndex: 'reportWeekStart', width: 110 }] : []),
        { title: t('reports.text'), dataIndex: 'text', render: (text: string) => <span style={{ whiteSpace: 'pre-wrap' }}>{text}</span> },
        { title: t('reports.owner'), dataIndex: 'ownerName', width: 120 },
        { title: t('reports.due'), dataIndex: 'dueDate', width: 110 },
        {
          title: t('reports.state'),
          dataIndex: 'state',
          width: 120,
          render: (state: Decision['state'], d) =>
            onState ? (
              <>
                <Select
                  className="screen-only"
                  size="small"
                  value={state}
                  style={{ width: 100 }}
                  aria-label={`${t('reports.state')} ${d.text}`}
                  onChange={(next) => onState(d, next)}
                  options={decisionStates.map((s) => ({ value: s, label: t(`reports.states.${s}`) }))}
                />
                <span className="print-only">{t(`reports.states.${state}`)}</span>
              </>
            ) : (
              <Tag color={colour[state]}>{t(`reports.states.${state}`)}</Tag>
            ),
        },
        {
          title: t('reports.recorded'),
          key: 'recorded',
          width: 150,
          render: (_: unknown, d) => (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {d.recordedByName} · {dayjs(d.recordedAt).format('MM-DD HH:mm')}
              {d.stateNote && <div>{d.stateNote}</div>}
            </Typography.Text>
          ),
        },
      ]}
    />
  );
}
