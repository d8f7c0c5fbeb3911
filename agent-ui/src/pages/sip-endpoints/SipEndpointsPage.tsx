import { Alert, Button, Card, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';

type State = 'applied' | 'written' | 'pending' | 'removed';
interface Endpoint {
  name: string;
  kind: 'operator' | 'judge' | 'department';
  label: string;
  state: State;
  pendingReason: 'new' | 'changed' | null;
  registered: boolean | null;
}
interface Overview {
  dir: string;
  secretSet: boolean;
  filesWrittenAt: string | null;
  asterisk: { reachable: boolean; lastReloadAt: string | null; error: string | null };
  deploymentPending: number;
  ringGroupPending: boolean;
  endpoints: Endpoint[];
}
interface Applied {
  outcome: 'reloaded' | 'asterisk_unreachable' | 'reload_refused';
  operators: number;
  desks: number;
  error: string | null;
}

const stateColor: Record<State, string> = { applied: 'green', written: 'gold', pending: 'orange', removed: 'red' };
const time = (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm:ss');

/**
 * The court's SIP endpoints (GET /api/telephony/sip-endpoints) and the apply (POST …/apply): the answer's outcome is
 * shown as it is; only `reloaded` is a success, files written without a reload is a warning.
 */
export default function SipEndpointsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const [data, setData] = useState<Overview>();
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<Applied>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setData(await api.get<Overview>('/api/telephony/sip-endpoints'));
    } catch (err) {
      setError(errorText(err));
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  const apply = async () => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await api.post<Applied>('/api/telephony/sip-endpoints/apply', {}));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
      await load();
    }
  };

  const k = (key: string) => t(`sipEndpoints.${key}`);
  return (
    <Card title={k('title')} data-testid="sip-endpoints-page">
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Alert type="info" showIcon title={k('intro')} />
        {data && !data.secretSet && <Alert type="error" showIcon title={k('noSecret')} data-testid="sip-no-secret" />}
        {result && (
          <Alert
            data-testid="sip-apply-result"
            data-outcome={result.outcome}
            type={result.outcome === 'reloaded' ? 'success' : result.outcome === 'asterisk_unreachable' ? 'warning' : 'error'}
            showIcon
            title={t(`sipEndpoints.outcomes.${result.outcome}`, { operators: result.operators, desks: result.desks }) + (result.outcome === 'reload_refused' ? (result.error ?? '') : '')}
          />
        )}
        {error && <Alert type="error" showIcon title={error} data-testid="sip-error" />}
        <Space wrap>
          <Popconfirm title={k('applyConfirm')} onConfirm={apply} disabled={!data?.secretSet}>
            <Button type="primary" loading={busy} disabled={!data?.secretSet} data-testid="sip-apply">
              {k('apply')}
            </Button>
          </Popconfirm>
          <Button onClick={() => void load()}>{k('refresh')}</Button>
        </Space>
        {data && (
          <div data-testid="sip-status">
            <Typography.Text type="secondary">
              {t('sipEndpoints.dir', { dir: data.dir })} · {data.filesWrittenAt ? t('sipEndpoints.written', { time: time(data.filesWrittenAt) }) : k('notWritten')} ·{' '}
              {data.asterisk.reachable && data.asterisk.lastReloadAt ? t('sipEndpoints.asteriskUp', { time: time(data.asterisk.lastReloadAt) }) : t('sipEndpoints.asteriskDown', { error: data.asterisk.error ?? '' })}
            </Typography.Text>
            {(data.deploymentPending > 0 || data.ringGroupPending) && (
              <div>
                <Typography.Text type="warning">
                  {data.deploymentPending > 0 && t('sipEndpoints.deploymentPending', { n: data.deploymentPending })}
                  {data.deploymentPending > 0 && data.ringGroupPending && ' · '}
                  {data.ringGroupPending && k('ringGroupPending')}
                </Typography.Text>
              </div>
            )}
          </div>
        )}
        <Table
          data-testid="sip-endpoints"
          size="small"
          rowKey="name"
          pagination={false}
          loading={!data && !error}
          dataSource={data?.endpoints ?? []}
          locale={{ emptyText: k('empty') }}
          onRow={(row) => ({ 'data-state': row.state }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: k('name'), dataIndex: 'name', render: (name: string) => <Typography.Text code>{name}</Typography.Text> },
            { title: k('kind'), dataIndex: 'kind', render: (kind: Endpoint['kind']) => t(`sipEndpoints.kinds.${kind}`) },
            { title: k('label'), dataIndex: 'label' },
            {
              title: k('state'),
              dataIndex: 'state',
              render: (state: State, row) => (
                <Space size={4}>
                  <Tag color={stateColor[state]}>{t(`sipEndpoints.states.${state}`)}</Tag>
                  {row.pendingReason && <Typography.Text type="secondary">{t(`sipEndpoints.reasons.${row.pendingReason}`)}</Typography.Text>}
                </Space>
              ),
            },
            {
              title: k('registered'),
              dataIndex: 'registered',
              render: (registered: boolean | null) => (registered === null ? <Typography.Text type="secondary">{k('unknown')}</Typography.Text> : <Tag color={registered ? 'green' : 'default'}>{k(registered ? 'online' : 'offline')}</Tag>),
            },
          ]}
        />
      </Space>
    </Card>
  );
}
