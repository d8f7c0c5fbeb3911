import { Alert, App, Button, Form, Input, Popconfirm, Space, Table } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import type { HotlineNumber } from './types.ts';

/** The numbers whose calls come to this court (GET/POST/DELETE /api/telephony/hotline-numbers). */
export function HotlineNumbersTab() {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ number: string }>();
  const [rows, setRows] = useState<HotlineNumber[]>([]);
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    try {
      setRows(await api.get<HotlineNumber[]>('/api/telephony/hotline-numbers'));
    } catch (err) {
      setError(errorText(err));
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  const change = async (run: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await run();
      void message.success(t('settings.saved'));
      await load();
      return true;
    } catch (err) {
      setError(errorText(err));
      return false;
    }
  };
  const add = async ({ number }: { number: string }) => {
    if (await change(() => api.post('/api/telephony/hotline-numbers', { number }))) form.resetFields();
  };

  return (
    <Space orientation="vertical" style={{ width: '100%', maxWidth: 760 }} size="middle">
      <Alert type="info" showIcon title={t('settings.numbers.intro')} />
      {error && <Alert type="error" showIcon title={error} data-testid="numbers-error" />}
      <Form form={form} layout="inline" onFinish={add}>
        <Form.Item name="number" label={t('settings.numbers.number')} rules={[{ required: true, whitespace: true, message: t('settings.calendar.required') }]}>
          <Input placeholder="12368" maxLength={33} style={{ width: 200 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="numbers-add">
          {t('settings.numbers.add')}
        </Button>
      </Form>
      <Table
        data-testid="settings-numbers"
        size="small"
        rowKey="number"
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: t('settings.numbers.empty') }}
        columns={[
          { title: t('settings.numbers.number'), dataIndex: 'number' },
          { title: t('settings.numbers.since'), dataIndex: 'createdAt', render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm') },
          {
            title: t('settings.categories.act'),
            key: 'act',
            width: 120,
            render: (_, row) => (
              <Popconfirm title={t('settings.numbers.confirm', { number: row.number })} onConfirm={() => change(() => api.delete(`/api/telephony/hotline-numbers/${row.number}`))}>
                <Button type="link" danger aria-label={`${t('settings.numbers.remove')} ${row.number}`}>
                  {t('settings.numbers.remove')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </Space>
  );
}
