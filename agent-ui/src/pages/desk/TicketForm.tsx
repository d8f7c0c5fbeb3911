import { Alert, App, Button, Card, Checkbox, Col, Form, Input, Row, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../api/types.ts';
import { useCategories } from '../../api/useCategories.ts';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { useDirectory } from '../admin/useDirectory.ts';
import { checkCaseNumber } from './case-number-field.ts';
import { OutcomeFields } from './HandOffFields.tsx';

interface Values {
  callerNumber?: string;
  callerName?: string;
  category: string;
  caseNumber?: string;
  summary: string;
  details?: string;
  urgent?: boolean;
  /** 保密: seen in full only by the handler, the department head and managers (docs/tickets.md). */
  confidential?: boolean;
  outcome: 'on_spot' | 'hand_off';
  answer?: string;
  target: 'judge' | 'department';
  handlerUserId?: string;
  handlerDepartmentId?: string;
}

interface Props {
  /** From the screen pop of the current call. */
  callerNumber?: string;
  callId?: string;
  /** A draft ticket telephony made for the call: the form fills it in rather than making another. */
  draftTicketId?: string;
  onDone?: (ticket: Ticket) => void;
  /** An answer chosen in the knowledge base: fills "answered on the spot" (a new object each time it is chosen). */
  suggestedAnswer?: { text: string };
  /** The category the caller's menu choice suggests: preselected while the operator has not chosen one. */
  suggestedCategory?: string | undefined;
  /** The call is still up: a submitted ticket leaves the caller's number in the form for the next one. */
  callLive?: boolean;
}

const blank = { category: 'enquiry', outcome: 'hand_off', target: 'judge' } as const;
/** The desk must fit a 1366×768 screen with the form's submit button in view: fields sit close together. */
const tight = { marginBottom: 8 };
// The card shrinks to what its column leaves (minHeight 0), its body scrolls, and the buttons stick to its bottom;
// the body's bottom padding moves into the buttons' row, so that fields scrolled under it do not show beneath it.
const shrinkable = { display: 'flex', flexDirection: 'column', minHeight: 0 } as const;
const scrollingBody = { flex: '1 1 auto', minHeight: 0, overflowY: 'auto', paddingBottom: 0 } as const;
const actions = { position: 'sticky', bottom: 0, zIndex: 1, display: 'flex', width: '100%', paddingBottom: 12, background: '#fff' } as const;

/**
 * The work order registered during the call: saved first (POST /api/tickets, or PATCH of the call's draft),
 * then answered on the spot or handed off. If the second step fails the saved ticket is kept, and submitting
 * again only retries that step. Ctrl+Enter submits.
 */
export function TicketForm({ callerNumber, callId, draftTicketId, onDone, suggestedAnswer, suggestedCategory, callLive = false }: Props) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { categories } = useCategories();
  const { lookups: directory } = useDirectory();
  const [form] = Form.useForm<Values>();
  const [saved, setSaved] = useState<Ticket>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  // The call's draft is filled in once; a second ticket in the same call is a new one linked to the call.
  const [draftUsed, setDraftUsed] = useState(false);
  const caseNumber = checkCaseNumber(Form.useWatch('caseNumber', form), i18n.language);

  useEffect(() => {
    if (callerNumber) form.setFieldValue('callerNumber', callerNumber);
  }, [callerNumber, form]);
  useEffect(() => {
    if (suggestedCategory && !form.isFieldTouched('category')) form.setFieldValue('category', suggestedCategory);
  }, [suggestedCategory, form]);
  useEffect(() => {
    if (suggestedAnswer) form.setFieldsValue({ outcome: 'on_spot', answer: suggestedAnswer.text });
  }, [suggestedAnswer, form]);

  const submit = async (values: Values) => {
    setBusy(true);
    setProblem(undefined);
    let ticket = saved;
    try {
      const fields = {
        callerNumber: values.callerNumber?.trim() || undefined,
        callerName: values.callerName?.trim() || undefined,
        caseNumber: checkCaseNumber(values.caseNumber, 'en').normalized,
        category: values.category,
        summary: values.summary,
        details: values.details ?? '',
        priority: values.urgent ? 'urgent' : 'normal',
      };
      if (!ticket) {
        ticket = draftTicketId && !draftUsed ? await api.patch<Ticket>(`/api/tickets/${draftTicketId}`, fields) : await api.post<Ticket>('/api/tickets', { ...fields, callId });
        setSaved(ticket);
      }
      // A call's draft is saved by PATCH, which does not mark: the mark is its own command (kept on a retry).
      if (values.confidential && !ticket.confidential) {
        ticket = await api.post<Ticket>(`/api/tickets/${ticket.id}/confidential`, { reason: t('ticketForm.confidentialReason') });
        setSaved(ticket);
      }
    } catch (err) {
      setBusy(false);
      return void setProblem(errorText(err));
    }
    try {
      const done =
        values.outcome === 'on_spot'
          ? await api.post<Ticket>(`/api/tickets/${ticket.id}/answer-on-spot`, { answer: values.answer })
          : await api.post<Ticket>(`/api/tickets/${ticket.id}/handoff`, values.target === 'judge' ? { handlerUserId: values.handlerUserId } : { handlerDepartmentId: values.handlerDepartmentId });
      void message.success(`${t('ticketForm.created', { number: done.number })} · ${values.outcome === 'on_spot' ? t('ticketForm.closedOnSpot') : t('ticketForm.handedOff')}`);
      setSaved(undefined);
      if (draftTicketId) setDraftUsed(true);
      form.resetFields();
      // While the call is up the operator may file another ticket for the same caller.
      if (callLive && callerNumber) form.setFieldValue('callerNumber', callerNumber);
      onDone?.(done);
    } catch (err) {
      const step = values.outcome === 'on_spot' ? t('ticketForm.onSpot') : t('ticketForm.handOff');
      setProblem(t('ticketForm.retryStep', { number: ticket.number, step, error: errorText(err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    // Held to its column's height on the desk (DeskPage): the fields scroll inside the card, the buttons stay in sight.
    <Card size="small" title={saved ? `${t('ticketForm.title')} · ${saved.number}` : t('ticketForm.title')} style={shrinkable} styles={{ body: scrollingBody }}>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} role="alert" />}
      <Form<Values>
        form={form}
        name="ticket-form"
        layout="vertical"
        size="small"
        initialValues={blank}
        onFinish={(values) => void submit(values)}
        onKeyDown={(e) => e.ctrlKey && e.key === 'Enter' && form.submit()}
      >
        <Row gutter={8}>
          <Col span={12}>
            <Form.Item name="callerNumber" label={t('ticketForm.callerNumber')} style={tight} rules={[{ pattern: /^\+?[0-9]{3,20}$/, message: '13812345678' }]}>
              <Input inputMode="tel" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="callerName" label={t('ticketForm.callerName')} style={tight}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="category" label={t('ticketForm.category')} style={tight} rules={[{ required: true, message: t('common.required') }]}>
              <Select showSearch optionFilterProp="label" data-testid="ticket-category" options={categories.filter((c) => c.active).map((c) => ({ value: c.code, label: i18n.language === 'en' ? c.nameEn : c.nameZh }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="caseNumber"
              label={t('ticketForm.caseNumber')}
              style={tight}
              validateStatus={caseNumber.error ? 'error' : undefined}
              help={caseNumber.error ?? (caseNumber.normalized ? t('ticketForm.normalized', { value: caseNumber.normalized }) : undefined)}
              rules={[{ validator: async (_, value?: string) => { const r = checkCaseNumber(value, i18n.language); if (r.error) throw new Error(r.error); } }]}
            >
              <Input placeholder={t('ticketForm.caseNumberHint')} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="summary" label={t('ticketForm.summary')} style={tight} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 500 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="details" label={t('ticketForm.details')} style={tight}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Space>
          <Form.Item name="urgent" valuePropName="checked" style={tight}>
            <Checkbox>{t('ticketForm.priority')}</Checkbox>
          </Form.Item>
          <Form.Item name="confidential" valuePropName="checked" tooltip={t('ticketForm.confidentialHint')} style={tight}>
            <Checkbox>{t('ticketForm.confidential')}</Checkbox>
          </Form.Item>
        </Space>
        <OutcomeFields judges={directory.judges} departments={directory.departments} />
        <Space style={actions}>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="ticket-submit">{t('ticketForm.submit')}</Button>
          <Button onClick={() => { form.resetFields(); setSaved(undefined); setProblem(undefined); }}>{t('ticketForm.clear')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
