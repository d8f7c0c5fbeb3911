import { Alert, Button, Checkbox, Form, Input, InputNumber, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import type { FormItem, QualityForm } from './types.ts';

const starter: FormItem[] = [
  { key: 'greeting', label: '规范问候', weight: 20, fatal: false },
  { key: 'accuracy', label: '答复准确', weight: 50, fatal: false },
  { key: 'attitude', label: '服务态度', weight: 30, fatal: false },
  { key: 'legal_error', label: '法律信息错误', weight: 0, fatal: true },
  { key: 'rude', label: '态度粗暴', weight: 0, fatal: true },
];

/** A new form, or the next version of one (`base`): the server retires the current version and writes the next. */
export function FormEditor({ base, onClose }: { base: QualityForm | null; onClose: (changed: boolean) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ name: string; items: FormItem[] }>();
  const [error, setError] = useState<string>();
  const submit = async () => {
    const values = await form.validateFields();
    const items = values.items.map((i) => ({ ...i, fatal: Boolean(i.fatal), weight: i.fatal ? 0 : i.weight }));
    const path = base ? `/api/telephony/quality/forms/${base.id}/versions` : '/api/telephony/quality/forms';
    api.post(path, { name: values.name, items }).then(() => onClose(true), (err) => setError(errorText(err)));
  };
  return (
    <Modal open width={720} title={base ? `${t('quality.newVersion')} · ${base.name}` : t('quality.newForm')} onOk={() => void submit()} onCancel={() => onClose(false)} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ name: base?.name ?? '话务服务评分表', items: base?.items ?? starter }}>
        <Form.Item name="name" label={t('quality.formName')} rules={[{ required: true, min: 2 }]}>
          <Input aria-label={t('quality.formName')} maxLength={100} />
        </Form.Item>
        <Typography.Paragraph type="secondary">{t('quality.fatalHint')}</Typography.Paragraph>
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              {fields.map((field) => (
                <Space key={field.key} align="baseline">
                  <Form.Item name={[field.name, 'key']} rules={[{ required: true, pattern: /^[a-z0-9_]{1,32}$/ }]} noStyle>
                    <Input placeholder={t('quality.itemKey')} style={{ width: 130 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'label']} rules={[{ required: true }]} noStyle>
                    <Input placeholder={t('quality.itemLabel')} style={{ width: 220 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'weight']} noStyle>
                    <InputNumber min={0} max={100} precision={0} placeholder={t('quality.weight')} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'fatal']} valuePropName="checked" noStyle>
                    <Checkbox>{t('quality.fatalItem')}</Checkbox>
                  </Form.Item>
                  <Button type="link" onClick={() => remove(field.name)}>
                    ×
                  </Button>
                </Space>
              ))}
              <Button onClick={() => add({ key: '', label: '', weight: 10, fatal: false })}>{t('quality.addItem')}</Button>
            </Space>
          )}
        </Form.List>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
