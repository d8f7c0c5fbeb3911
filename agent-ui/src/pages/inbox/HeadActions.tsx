import { Button, Divider, Form, Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Judge, Ticket } from '../../api/types.ts';
import type { Lookup } from '../../api/useLookup.ts';
import { useUnreadPicker } from '../../api/useUnreadPicker.ts';

interface Props {
  ticket: Ticket;
  /** The head's department's judges (the picker says so when they could not be read). */
  judges: Lookup<Judge[]>;
  run: (path: string, body?: unknown) => Promise<boolean>;
}

/** A department head's decisions: approve or refuse an extension, reassign within the department. */
export function HeadActions({ ticket, judges, run }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ handlerUserId: string; reason: string }>();
  const picker = useUnreadPicker();
  if (ticket.stage !== 'handoff' && ticket.stage !== 'chase') return null;
  const base = `/api/tickets/${ticket.id}`;
  return (
    <>
      {ticket.extensionRequestedUntil && (
        <Space style={{ marginTop: 16 }}>
          <Button type="primary" onClick={() => void run(`${base}/extension-decision`, { approve: true })}>{t('inbox.approve')}</Button>
          <Button danger onClick={() => void run(`${base}/extension-decision`, { approve: false })}>{t('inbox.refuse')}</Button>
        </Space>
      )}
      <Divider titlePlacement="start">{t('inbox.reassign')}</Divider>
      <Form form={form} layout="inline" name="reassign-form" onFinish={async (values) => (await run(`${base}/reassign`, values)) && form.resetFields()}>
        <Space wrap>
          <Form.Item name="handlerUserId" label={t('inbox.reassignTo')} rules={[{ required: true, message: t('common.required') }]}>
            <Select style={{ width: 180 }} showSearch optionFilterProp="label" {...picker(judges)} options={(judges.data ?? []).filter((j) => j.userId !== ticket.handlerUserId).map((j) => ({ value: j.userId, label: j.displayName }))} />
          </Form.Item>
          <Form.Item name="reason" label={t('inbox.reason')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
            <Input style={{ width: 200 }} />
          </Form.Item>
          <Button htmlType="submit">{t('inbox.reassign')}</Button>
        </Space>
      </Form>
    </>
  );
}
