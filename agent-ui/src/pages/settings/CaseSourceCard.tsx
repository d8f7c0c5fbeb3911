import { Alert, App, Button, Card, Checkbox, Descriptions, Form, Input, InputNumber, Popconfirm, Space, Tag } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import type { CaseSource } from './case-types.ts';

interface Values {
  url: string;
  token?: string;
  clearToken?: boolean;
  everyMinutes: number;
}

/**
 * The court's case system as an HTTP source (GET/PUT/DELETE /api/telephony/case-source, POST …/sync): its address, a
 * bearer token the server keeps sealed (the page only learns whether one is kept), the interval, and the last sync's
 * time, result and error.
 */
export function CaseSourceCard() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [source, setSource] = useState<CaseSource | null>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<'save' | 'sync'>();
  const zh = !i18n.language.startsWith('en');

  const show = useCallback(
    (next: CaseSource | null) => {
      setSource(next);
      form.setFieldsValue({ url: next?.url ?? '', token: '', clearToken: false, everyMinutes: next?.everyMinutes ?? 60 });
    },
    [form],
  );
  useEffect(() => {
    api
      .get<{ source: CaseSource | null }>('/api/telephony/case-source')
      .then((r) => show(r.source))
      .catch((err) => setError(errorText(err)));
  }, [api, show]);

  const act = async (kind: 'save' | 'sync', run: () => Promise<void>) => {
    setBusy(kind);
    setError(undefined);
    try {
      await run();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(undefined);
    }
  };
  const save = (v: Values) =>
    act('save', async () => {
      const token = v.clearToken ? null : v.token ? v.token : undefined;
      show(await api.put<CaseSource>('/api/telephony/case-source', { url: v.url.trim(), everyMinutes: v.everyMinutes, ...(token !== undefined ? { token } : {}) }));
      void message.success(t('settings.saved'));
    });
  const sync = () =>
    act('sync', async () => {
      const r = await api.post<{ result: 'ok' | 'failed'; source: CaseSource }>('/api/telephony/case-source/sync', {});
      setSource(r.source);
      if (r.result === 'ok') void message.success(t('settings.cases.source.syncOk'));
      else void message.error(t('settings.cases.source.syncFailed'));
    });
  const remove = () =>
    act('save', async () => {
      await api.delete('/api/telephony/case-source');
      show(null);
    });

  const s = (key: string, o?: Record<string, unknown>) => t(`settings.cases.source.${key}`, o);
  return (
    <Card size="small" title={s('title')} data-testid="case-source">
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Alert type="info" showIcon title={s('intro')} />
        {error && <Alert type="error" showIcon title={error} data-testid="case-source-error" />}
        <Form form={form} layout="vertical" onFinish={save} initialValues={{ everyMinutes: 60 }} disabled={source === undefined}>
          <Form.Item name="url" label={s('url')} rules={[{ required: true, whitespace: true, message: t('settings.calendar.required') }]}>
            <Input placeholder="https://case-system.court.local/api/hotline-cases" maxLength={2000} />
          </Form.Item>
          <Space align="start" wrap>
            <Form.Item name="token" label={s('token')} extra={source?.hasToken ? s('tokenKept') : s('tokenNone')}>
              <Input.Password autoComplete="new-password" style={{ width: 320 }} placeholder={source?.hasToken ? s('tokenKeepPlaceholder') : ''} />
            </Form.Item>
            {source?.hasToken && (
              <Form.Item name="clearToken" valuePropName="checked" label=" ">
                <Checkbox>{s('clearToken')}</Checkbox>
              </Form.Item>
            )}
            <Form.Item name="everyMinutes" label={s('every')}>
              <InputNumber min={15} max={10080} style={{ width: 140 }} />
            </Form.Item>
          </Space>
          <Space>
            <Button type="primary" htmlType="submit" loading={busy === 'save'} data-testid="case-source-save">
              {t('settings.save')}
            </Button>
            <Button disabled={!source} loading={busy === 'sync'} onClick={sync} data-testid="case-source-sync">
              {s('syncNow')}
            </Button>
            {source && (
              <Popconfirm title={s('removeConfirm')} onConfirm={remove}>
                <Button danger>{s('remove')}</Button>
              </Popconfirm>
            )}
          </Space>
        </Form>
        {source && (
          <Descriptions size="small" column={1} bordered data-testid="case-source-status">
            <Descriptions.Item label={s('lastSync')}>
              {source.lastSyncAt ? (
                <Space>
                  {dayjs(source.lastSyncAt).format('YYYY-MM-DD HH:mm:ss')}
                  <Tag color={source.lastResult === 'ok' ? 'green' : 'red'} data-testid="case-source-result">
                    {s(source.lastResult === 'ok' ? 'ok' : 'failed')}
                  </Tag>
                  {source.lastTrigger && s(`triggers.${source.lastTrigger}`)}
                </Space>
              ) : (
                s('never')
              )}
            </Descriptions.Item>
            {source.lastResult === 'ok' && <Descriptions.Item label={s('counts')}>{s('countsText', { total: source.lastTotal, created: source.lastCreated, updated: source.lastUpdated })}</Descriptions.Item>}
            {source.lastResult === 'failed' && (
              <Descriptions.Item label={s('error')}>
                <span data-testid="case-source-last-error">{zh ? source.lastErrorZh : source.lastError}</span>
              </Descriptions.Item>
            )}
          </Descriptions>
        )}
      </Space>
    </Card>
  );
}
