import { Button, DatePicker, Form, Input, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Judge } from '../../api/types.ts';
import { useApi, useProfile } from '../../session/SessionProvider.tsx';

interface Values {
  text: string;
  ownerUserId: string;
  dueDate: Dayjs;
}

/** Records one decision of the review meeting: what, who owns it, by when. */
export function DecisionForm({ onRecord }: { onRecord: (body: { text: string; ownerUserId: string; dueDate: string }) => Promise<boolean> }) {
  const { t } = useTranslation();
  const api = useApi();
  const profile = useProfile();
  const [form] = Form.useForm<Values>();
  const [owners, setOwners] = useState<{ value: string; label: string }[]>([{ value: profile.id, label: profile.displayName }]);
  useEffect(() => {
    // The court's heads, judges and operators, and the manager themself.
    void Promise.all([
      api.get<Judge[]>('/api/judges').catch(() => [] as Judge[]),
      api.get<{ id: string; displayName: string }[]>('/api/console/operators').catch(() => []),
    ]).then(([judges, operators]) =>
      setOwners([
        { value: profile.id, label: profile.displayName },
        ...judges.map((j) => ({ value: j.userId, label: j.departmentName ? `${j.displayName}（${j.departmentName}）` : j.displayName })),
        ...operators.map((o) => ({ value: o.id, label: o.displayName })),
      ]),
    );
  }, [api, profile.id, profile.displayName]);
  const required = [{ required: true, message: t('common.required') }];
  return (
    <Form
      form={form}
      name="decision-form"
      layout="inline"
      className="screen-only"
      style={{ marginTop: 12, rowGap: 8 }}
      onFinish={async (v) => (await onRecord({ text: v.text.trim(), ownerUserId: v.ownerUserId, dueDate: v.dueDate.format('YYYY-MM-DD') })) && form.resetFields()}
    >
      <Form.Item name="text" label={t('reports.text')} rules={[{ ...required[0], whitespace: true }]}>
        <Input style={{ width: 300 }} maxLength={1000} />
      </Form.Item>
      <Form.Item name="ownerUserId" label={t('reports.owner')} rules={required}>
        <Select style={{ width: 200 }} showSearch optionFilterProp="label" options={owners} />
      </Form.Item>
      <Form.Item name="dueDate" label={t('reports.due')} rules={required}>
        <DatePicker />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit">{t('reports.record')}</Button>
      </Space>
    </Form>
  );
}
