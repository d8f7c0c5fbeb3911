import { App, Button, Card, Form, Input, InputNumber, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import type { AutoCallbackSettings } from './entries.ts';

const hhmm = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/** The court's automatic callback (PUT /api/telephony/auto-callback), for managers and admins; checked here and by the API. */
export function AutoCallbackForm() {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<AutoCallbackSettings>();
  const [saving, setSaving] = useState(false);
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    api.get<AutoCallbackSettings>('/api/telephony/auto-callback').then(
      (s) => {
        form.setFieldsValue(s);
        setLoaded(true);
      },
      (err: unknown) => void message.error(errorText(err)),
    );
  }, [api]);

  const save = async (values: AutoCallbackSettings) => {
    setSaving(true);
    try {
      const { enabled, opens, closes, attempts, intervalMinutes, dailyCap } = values;
      form.setFieldsValue(await api.put<AutoCallbackSettings>('/api/telephony/auto-callback', { enabled, opens, closes, attempts, intervalMinutes, dailyCap }));
      void message.success(t('unowned.saved'));
    } catch (err) {
      void message.error(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  const time = [{ required: true, pattern: hhmm, message: t('unowned.timeFormat') }];
  return (
    <Card size="small" title={t('unowned.settings')} data-testid="auto-callback-settings">
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('unowned.settingsHint')}
      </Typography.Paragraph>
      {/* Disabled until the court's settings are in, so nothing typed is overwritten by the load. */}
      <Form form={form} layout="vertical" size="small" onFinish={save} requiredMark={false} disabled={!loaded}>
        <Form.Item name="enabled" label={t('unowned.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="opens" label={t('unowned.opens')} rules={time}>
          <Input placeholder="09:00" maxLength={5} />
        </Form.Item>
        <Form.Item
          name="closes"
          label={t('unowned.closes')}
          dependencies={['opens']}
          rules={[...time, ({ getFieldValue }) => ({ validator: async (_, v: string) => (v && hhmm.test(v) && v <= getFieldValue('opens') ? Promise.reject(new Error(t('unowned.closesAfterOpens'))) : undefined) })]}
        >
          <Input placeholder="17:30" maxLength={5} />
        </Form.Item>
        <Form.Item name="attempts" label={t('unowned.attempts')} rules={[{ required: true }]}>
          <InputNumber min={1} max={5} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="intervalMinutes" label={t('unowned.interval')} rules={[{ required: true }]}>
          <InputNumber min={1} max={240} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="dailyCap" label={t('unowned.dailyCap')} rules={[{ required: true }]}>
          <InputNumber min={0} max={5000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving}>
          {t('unowned.save')}
        </Button>
      </Form>
    </Card>
  );
}
