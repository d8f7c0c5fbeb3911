import { App, Button, Card, Input, Select, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRealtimeEvents } from '../../realtime/RealtimeProvider.tsx';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';

interface DirectoryEntry {
  kind: 'judge' | 'department';
  id: string;
  label: string;
  extension: string;
}

type Status = 'started' | 'answered' | 'failed' | 'completed' | 'cancelled';
interface TransferState {
  mode: 'blind' | 'attended' | 'menu';
  status: Status;
  target: string;
  outcome?: string;
}

const statusColor: Record<Status, string> = { started: 'processing', answered: 'success', failed: 'error', completed: 'default', cancelled: 'warning' };

/**
 * Transfers (转接) of the call on the desk: to a judge or department from the court's directory, or to a
 * number; blind, or attended (consult first, then complete or cancel). Progress comes as `call.transfer`.
 */
export function TransferPanel({ callId }: { callId?: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [directory, setDirectory] = useState<DirectoryEntry[]>([]);
  // The directory could not be read: the picker says so (a number can still be typed); tried again with each call.
  const [directoryFailed, setDirectoryFailed] = useState(false);
  const [choice, setChoice] = useState<string>();
  const [number, setNumber] = useState('');
  const [state, setState] = useState<TransferState>();
  const readDirectory = useCallback(
    () =>
      void api.get<DirectoryEntry[]>('/api/telephony/transfer-directory').then(
        (entries) => {
          setDirectory(entries);
          setDirectoryFailed(false);
        },
        () => setDirectoryFailed(true),
      ),
    [api],
  );
  useEffect(readDirectory, [readDirectory]);
  useEffect(() => {
    if (callId && directoryFailed) readDirectory();
  }, [callId, directoryFailed, readDirectory]);
  useEffect(() => setState(undefined), [callId]);
  useRealtimeEvents(['call.transfer'], (event) => {
    const d = event.data as { callId: string; mode: TransferState['mode']; status: Status; target: string; outcome?: string };
    if (d.callId === callId) setState({ mode: d.mode, status: d.status, target: d.target, ...(d.outcome ? { outcome: d.outcome } : {}) });
  });

  const targetBody = () => {
    if (number.trim()) return { number: number.trim() };
    const entry = directory.find((e) => `${e.kind}:${e.id}` === choice);
    if (!entry) return undefined;
    return entry.kind === 'judge' ? { judgeId: entry.id } : { departmentId: entry.id };
  };
  const send = (path: string, body?: Record<string, unknown>) => void api.post(path, body).catch((err) => message.error(errorText(err)));
  const transfer = (mode: 'blind' | 'attended') => {
    const target = targetBody();
    if (!callId || !target) return void message.warning(t('transfer.chooseTarget'));
    send(`/api/telephony/calls/${callId}/transfer`, { mode, ...target });
  };
  const consulting = state?.mode === 'attended' && (state.status === 'started' || state.status === 'answered');

  return (
    <Card size="small" title={t('transfer.title')} data-testid="transfer-panel">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Select
          showSearch
          allowClear
          placeholder={directoryFailed ? t('transfer.directoryUnread') : t('transfer.directory')}
          status={directoryFailed ? 'warning' : undefined}
          notFoundContent={directoryFailed ? t('transfer.directoryUnread') : undefined}
          optionFilterProp="label"
          value={choice}
          onChange={(v) => setChoice(v)}
          data-testid="transfer-target"
          style={{ width: '100%' }}
          options={directory.map((e) => ({ value: `${e.kind}:${e.id}`, label: `${e.kind === 'judge' ? '⚖ ' : '🏛 '}${e.label} (${e.extension})` }))}
        />
        <Input placeholder={t('transfer.number')} value={number} onChange={(e) => setNumber(e.target.value)} inputMode="tel" data-testid="transfer-number" />
        <Space wrap>
          <Button type="primary" disabled={!callId || consulting} onClick={() => transfer('blind')} data-testid="transfer-blind">
            {t('transfer.blind')}
          </Button>
          <Button disabled={!callId || consulting} onClick={() => transfer('attended')} data-testid="transfer-attended">
            {t('transfer.attended')}
          </Button>
          {consulting && (
            <>
              <Button type="primary" onClick={() => send(`/api/telephony/calls/${callId}/transfer/complete`)} data-testid="transfer-complete">
                {t('transfer.complete')}
              </Button>
              <Button danger onClick={() => send(`/api/telephony/calls/${callId}/transfer/cancel`)} data-testid="transfer-cancel">
                {t('transfer.cancel')}
              </Button>
            </>
          )}
        </Space>
        {state && (
          <Typography.Text data-testid="transfer-status">
            <Tag color={statusColor[state.status]}>{t(`transfer.status.${state.status}`)}</Tag>
            {state.target}
            {state.outcome && state.status === 'failed' ? ` · ${t(`transfer.outcome.${state.outcome}`)}` : ''}
          </Typography.Text>
        )}
        {!callId && <Typography.Text type="secondary">{t('transfer.noCall')}</Typography.Text>}
      </Space>
    </Card>
  );
}
