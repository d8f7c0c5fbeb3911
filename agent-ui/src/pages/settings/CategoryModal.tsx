import { Alert, Form, Input, InputNumber, Modal, Radio, Switch } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import type { CategoryPolicy } from './types.ts';

const blank: Omit<CategoryPolicy, 'code'> = {
  nameZh: '',
  nameEn: '',
  deadlineDays: 3,
  dayKind: 'working',
  callbackWhenAnsweredOnSpot: false,
  active: true,
  confidential: false,
  sortOrder: 100,
};

/**
 * Adds a category (POST) or edits one (PATCH, the code stays). The form checks only that fields are filled; the
 * server's own message (a code's format, a range, a code taken) is shown as it says it.
 */
export function CategoryModal({ category, onClose, onSaved }: { category: CategoryPolicy | undefined; onClose: () => void; onSaved: () => Promise<void> }) {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const [form] = Form.useForm<CategoryPolicy>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const required = [{ required: true, message: t('settings.calendar.required') }];

  const save = async () => {
    const values = await form.validateFields();
    setBusy(true);
    setError(undefined);
    try {
      if (category) {
        const { code: _code, ...patch } = values;
        await api.patch(`/api/ticket-categories/${category.code}`, patch);
      } else {
        await api.post('/api/ticket-categories', values);
      }
      await onSaved();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={category ? t('settings.categories.editTitle', { code: category.code }) : t('settings.categories.addTitle')}
      onCancel={onClose}
      onOk={save}
      okText={t('settings.save')}
      cancelText={t('settings.cancel')}
      confirmLoading={busy}
      width={560}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="category-error" />}
      <Form form={form} layout="vertical" initialValues={category ?? { ...blank, code: '' }}>
        <Form.Item name="code" label={t('settings.categories.code')} extra={t('settings.categories.codeHelp')} rules={required}>
          <Input disabled={Boolean(category)} maxLength={64} />
        </Form.Item>
        <Form.Item name="nameZh" label={t('settings.categories.nameZh')} rules={required}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('settings.categories.nameEn')} rules={required}>
          <Input maxLength={100} />
        </Form.Item>
        <div style={{ display: 'flex', gap: 16 }}>
          <Form.Item name="deadlineDays" label={t('settings.categories.deadlineDays')} rules={required}>
            <InputNumber precision={0} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="dayKind" label={t('settings.categories.dayKind')}>
            <Radio.Group
              options={[
                { value: 'working', label: t('settings.categories.dayKinds.working') },
                { value: 'calendar', label: t('settings.categories.dayKinds.calendar') },
              ]}
            />
          </Form.Item>
          <Form.Item name="sortOrder" label={t('settings.categories.sortOrder')} rules={required}>
            <InputNumber precision={0} style={{ width: 100 }} />
          </Form.Item>
        </div>
        <div style={{ display: 'flex', gap: 24, flexWrap: 'wrap' }}>
          <Form.Item name="active" label={t('settings.categories.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="confidential" label={t('settings.categories.confidential')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="callbackWhenAnsweredOnSpot" label={t('settings.categories.callback')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </div>
      </Form>
    </Modal>
  );
}
