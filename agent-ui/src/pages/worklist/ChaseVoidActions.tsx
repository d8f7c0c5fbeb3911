import { Button, Divider, Form, Input, Popconfirm, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../api/types.ts';

interface Props {
  ticket: Ticket;
  /** Chase (督办) is for heads and managers; void (作废) for managers (tickets/stage-machine.ts). */
  canVoid: boolean;
  run: (path: string, body?: unknown) => Promise<boolean>;
}

/** 督办 with a note that reaches the handler, and 作废 with a reason (the ticket is kept and still counts). */
export function ChaseVoidActions({ ticket, canVoid, run }: Props) {
  const { t } = useTranslation();
  const [chaseForm] = Form.useForm<{ reason: string }>();
  const [voidForm] = Form.useForm<{ reason: string }>();
  const base = `/api/tickets/${ticket.id}`;
  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  const chaseable = ticket.stage === 'handoff' || ticket.stage === 'chase';
  const open = !['closed', 'void'].includes(ticket.stage);
  if (!chaseable && !(canVoid && open)) return null;
  return (
    <>
      {chaseable && (
        <>
          <Divider titlePlacement="start">{t('worklist.chase')}</Divider>
          <Form form={chaseForm} layout="inline" name="chase-form" onFinish={async (v) => (await run(`${base}/chase`, v)) && chaseForm.resetFields()}>
            <Space wrap>
              <Form.Item name="reason" label={t('worklist.chaseReason')} rules={required}>
                <Input style={{ width: 280 }} maxLength={1000} />
              </Form.Item>
              <Button htmlType="submit" type="primary">{t('worklist.chase')}</Button>
            </Space>
          </Form>
        </>
      )}
      {canVoid && open && (
        <>
          <Divider titlePlacement="start">{t('worklist.void')}</Divider>
          <Form form={voidForm} layout="inline" name="void-form" onFinish={async (v) => (await run(`${base}/void`, v)) && voidForm.resetFields()}>
            <Space wrap>
              <Form.Item name="reason" label={t('worklist.voidReason')} rules={required}>
                <Input style={{ width: 280 }} maxLength={1000} />
              </Form.Item>
              <Popconfirm title={t('worklist.void')} onConfirm={() => voidForm.submit()}>
                <Button danger>{t('worklist.void')}</Button>
              </Popconfirm>
            </Space>
          </Form>
        </>
      )}
    </>
  );
}
