import { Button, DatePicker, Divider, Form, Input, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../api/types.ts';

interface Props {
  ticket: Ticket;
  run: (path: string, body?: unknown) => Promise<boolean>;
}

/** What the handler does with a ticket: accept it, reply (which ends the chase), or ask for more time. */
export function HandlerActions({ ticket, run }: Props) {
  const { t } = useTranslation();
  const [replyForm] = Form.useForm<{ text: string }>();
  const [extensionForm] = Form.useForm<{ until: Dayjs; reason: string }>();
  const open = ticket.stage === 'handoff' || ticket.stage === 'chase';
  if (!open) return null;
  const base = `/api/tickets/${ticket.id}`;
  const required = [{ required: true, whitespace: true, message: t('common.required') }];

  return (
    <>
      {!ticket.acceptedAt && (
        <Button type="primary" onClick={() => void run(`${base}/accept`)} style={{ marginTop: 16 }}>
          {t('inbox.accept')}
        </Button>
      )}
      <Divider titlePlacement="start">{t('inbox.reply')}</Divider>
      <Form form={replyForm} layout="vertical" name="reply-form" onFinish={async ({ text }) => (await run(`${base}/reply`, { text })) && replyForm.resetFields()}>
        <Form.Item name="text" label={t('inbox.replyText')} extra={t('inbox.replyHint')} rules={required}>
          <Input.TextArea rows={4} onKeyDown={(e) => e.ctrlKey && e.key === 'Enter' && replyForm.submit()} />
        </Form.Item>
        <Button type="primary" htmlType="submit">{t('inbox.reply')}</Button>
      </Form>
      <Divider titlePlacement="start">{t('inbox.askExtension')}</Divider>
      <Form
        form={extensionForm}
        layout="inline"
        name="extension-form"
        onFinish={async ({ until, reason }) => (await run(`${base}/extension-request`, { until: until.endOf('day').toISOString(), reason })) && extensionForm.resetFields()}
      >
        <Space wrap>
          <Form.Item name="until" label={t('inbox.until')} rules={[{ required: true, message: t('common.required') }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="reason" label={t('inbox.reason')} rules={required}>
            <Input style={{ width: 220 }} />
          </Form.Item>
          <Button htmlType="submit">{t('inbox.askExtension')}</Button>
        </Space>
      </Form>
    </>
  );
}
