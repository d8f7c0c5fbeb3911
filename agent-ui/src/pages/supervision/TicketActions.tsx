import { Button, Divider, Form, Input, Popconfirm, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../api/types.ts';

interface Props {
  ticket: Ticket;
  /** A manager may void; a head may not. */
  canVoid: boolean;
  run: (path: string, body?: unknown) => Promise<boolean>;
}

/** What a head or manager does about late work: chase with a note, escalate, decide an extension, void. */
export function TicketActions({ ticket, canVoid, run }: Props) {
  const { t } = useTranslation();
  const [chaseForm] = Form.useForm<{ reason: string }>();
  const [escalateForm] = Form.useForm<{ reason: string }>();
  const [decisionForm] = Form.useForm<{ reason?: string }>();
  const [voidForm] = Form.useForm<{ reason: string }>();
  if (ticket.stage !== 'handoff' && ticket.stage !== 'chase') return null;
  const base = `/api/tickets/${ticket.id}`;
  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  const level = Math.min(ticket.chaseLevel, 2);
  return (
    <div data-testid="supervision-actions">
      <Divider titlePlacement="start">{t('supervision.chase')}</Divider>
      <Form form={chaseForm} name="chase-form" layout="vertical" onFinish={async (v) => (await run(`${base}/chase`, v)) && chaseForm.resetFields()}>
        <Form.Item name="reason" label={t('supervision.chaseNote')} rules={required}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <Button type="primary" htmlType="submit">{t('supervision.chaseSend')}</Button>
      </Form>

      <Divider titlePlacement="start">{t('supervision.escalate')}</Divider>
      {level >= 2 ? (
        <Typography.Text type="secondary">{t('supervision.escalateTop')}</Typography.Text>
      ) : (
        <Form form={escalateForm} name="escalate-form" layout="inline" onFinish={async (v) => (await run(`${base}/escalate`, v)) && escalateForm.resetFields()}>
          <Form.Item name="reason" label={t('supervision.escalateReason')} rules={required}>
            <Input style={{ width: 220 }} maxLength={1000} />
          </Form.Item>
          <Button danger htmlType="submit">{t(`supervision.escalateTo.${level}`)}</Button>
        </Form>
      )}

      {ticket.extensionRequestedUntil && (
        <>
          <Divider titlePlacement="start">{t('supervision.extension')}</Divider>
          <Typography.Paragraph>{t('supervision.extensionUntil', { time: dayjs(ticket.extensionRequestedUntil).format('YYYY-MM-DD HH:mm'), reason: ticket.extensionReason ?? '' })}</Typography.Paragraph>
          <Form form={decisionForm} name="extension-form" layout="inline">
            <Form.Item name="reason" label={t('supervision.decisionReason')}>
              <Input style={{ width: 200 }} maxLength={1000} />
            </Form.Item>
            <Space>
              <Button type="primary" onClick={() => void run(`${base}/extension-decision`, { approve: true, ...withReason(decisionForm.getFieldValue('reason')) })}>{t('supervision.approve')}</Button>
              <Button onClick={() => void run(`${base}/extension-decision`, { approve: false, ...withReason(decisionForm.getFieldValue('reason')) })}>{t('supervision.refuse')}</Button>
            </Space>
          </Form>
        </>
      )}

      {canVoid && (
        <>
          <Divider titlePlacement="start">{t('supervision.void')}</Divider>
          <Form form={voidForm} name="void-form" layout="vertical">
            <Form.Item name="reason" label={t('supervision.voidReason')} rules={required}>
              <Input maxLength={1000} />
            </Form.Item>
            <Popconfirm title={t('supervision.voidConfirm')} onConfirm={async () => {
              const values = await voidForm.validateFields().catch(() => undefined);
              if (values && (await run(`${base}/void`, values))) voidForm.resetFields();
            }}>
              <Button danger>{t('supervision.void')}</Button>
            </Popconfirm>
          </Form>
        </>
      )}
    </div>
  );
}

const withReason = (reason: unknown) => (typeof reason === 'string' && reason.trim() ? { reason: reason.trim() } : {});
