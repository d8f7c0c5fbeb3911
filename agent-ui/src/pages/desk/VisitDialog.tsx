import { Alert, App, Form, Input, Modal, Radio } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';

interface Values { resolved: boolean; satisfaction: 'satisfied' | 'basically_satisfied' | 'unsatisfied'; note?: string }

/** The return visit (回访): was it resolved, how satisfied is the caller (POST /callback); unsatisfied reopens. */
export function VisitDialog({ ticketId, number, onClose, onDone }: { ticketId: string; number: string; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const satisfaction = Form.useWatch('satisfaction', form);

  const submit = async (values: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`/api/tickets/${ticketId}/callback`, { resolved: values.resolved, satisfaction: values.satisfaction, ...(values.note?.trim() ? { note: values.note.trim() } : {}) });
      void message.success(t('myQueue.done'));
      onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const required = [{ required: true, message: t('common.required') }];
  return (
    <Modal open title={t('myQueue.visitTitle', { number })} okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={busy} onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form<Values> form={form} name="visit-form" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="resolved" label={t('myQueue.resolved')} rules={required}>
          <Radio.Group optionType="button" options={[{ value: true, label: t('common.yes') }, { value: false, label: t('common.no') }]} />
        </Form.Item>
        <Form.Item name="satisfaction" label={t('myQueue.satisfaction')} rules={required} extra={satisfaction === 'unsatisfied' ? t('myQueue.unsatisfiedHint') : undefined}>
          <Radio.Group optionType="button" options={(['satisfied', 'basically_satisfied', 'unsatisfied'] as const).map((s) => ({ value: s, label: t(`myQueue.${s}`) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('myQueue.note')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
