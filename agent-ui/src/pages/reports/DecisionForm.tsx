import { Button, DatePicker, Form, Input, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Judge } from '../../api/types.ts';
import { useLookup } from '../../api/useLookup.ts';
import { useUnreadPicker } from '../../api/useUnreadPicker.ts';
import { useProfile } from '../../session/SessionProvider.tsx';

interface Values {
  text: string;
  ownerUserId: string;
  dueDate: Dayjs;
}

/** Records one decision of the review meeting: what, who owns it, by when. */
export function DecisionForm({ onRecord }: { onRecord: (body: { text: string; ownerUserId: string; dueDate: string }) => Promise<boolean> }) {
  const { t } = useTranslation();
  const profile = useProfile();
  const [form] = Form.useForm<Values>();
  const picker = useUnreadPicker();
  const judges = useLookup<Judge[]>('/api/judges', 'judges');
  const operators = useLookup<{ id: string; displayName: string }[]>('/api/console/operators', 'operators');
  // The court's heads, judges and operators, and the manager themself.
  const owners = useMemo(
    () => [
      { value: profile.id, label: profile.displayName },
      ...(judges.data ?? []).map((j) => ({ value: j.userId, label: j.departmentName ? `${j.displayName}（${j.departmentName}）` : j.displayName })),
      ...(operators.data ?? []).map((o) => ({ value: o.id, label: o.displayName })),
    ],
    [profile.id, profile.displayName, judges.data, operators.data],
  );
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
        <Select style={{ width: 200 }} showSearch optionFilterProp="label" {...picker([judges, operators])} options={owners} />
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
