import { Alert, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../shell/useErrorText.ts';

/**
 * Asks for the reason of a hold or of its lifting (2–500 characters, as the API checks), then runs the change; the
 * API's refusal is shown in the dialog and nothing closes.
 */
export function ReasonModal({ title, open, onClose, submit }: { title: string; open: boolean; onClose: () => void; submit: (reason: string) => Promise<unknown> }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const close = () => {
    form.resetFields();
    setError(undefined);
    onClose();
  };
  const ok = async () => {
    const { reason } = await form.validateFields();
    setBusy(true);
    setError(undefined);
    try {
      await submit(reason.trim());
      close();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={title} open={open} onOk={ok} onCancel={close} confirmLoading={busy} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="hold-error" />}
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item
          name="reason"
          label={t('retention.reason')}
          rules={[
            { required: true, whitespace: true, message: t('retention.reasonRequired') },
            { min: 2, max: 500, message: t('retention.reasonLength') },
          ]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('retention.reasonHint')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
