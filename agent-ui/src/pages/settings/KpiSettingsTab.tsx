import { Alert, App, Button, Card, Form, InputNumber, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import type { KpiSettings } from './types.ts';

type Values = Pick<KpiSettings, 'serviceLevelSeconds' | 'shortAbandonSeconds'>;

/** The court's KPI settings (GET/PUT /api/kpi/settings): the service-level and short-abandon thresholds. */
export function KpiSettingsTab() {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [settings, setSettings] = useState<KpiSettings>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const show = (next: KpiSettings) => {
    setSettings(next);
    form.setFieldsValue({ serviceLevelSeconds: next.serviceLevelSeconds, shortAbandonSeconds: next.shortAbandonSeconds });
  };
  const load = useCallback(async () => {
    try {
      show(await api.get<KpiSettings>('/api/kpi/settings'));
    } catch (err) {
      setError(errorText(err));
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  const save = async (values: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      show(await api.put<KpiSettings>('/api/kpi/settings', values));
      void message.success(t('settings.saved'));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const required = { required: true, message: t('settings.calendar.required') };
  return (
    <Card size="small" style={{ maxWidth: 640 }} data-testid="settings-kpi">
      <Alert type="info" showIcon title={t('settings.kpi.intro')} style={{ marginBottom: 16 }} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="kpi-error" />}
      {/* The form shows only once the court's values are in: typed input is never overwritten by a late load. */}
      <Form form={form} layout="vertical" onFinish={save} disabled={!settings} data-testid={settings ? 'kpi-form-ready' : 'kpi-form-loading'}>
        <Form.Item name="serviceLevelSeconds" label={t('settings.kpi.serviceLevel')} extra={t('settings.kpi.serviceLevelHelp')} rules={[required]}>
          <InputNumber precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="shortAbandonSeconds" label={t('settings.kpi.shortAbandon')} extra={t('settings.kpi.shortAbandonHelp')} rules={[required]}>
          <InputNumber precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="kpi-save">
          {t('settings.save')}
        </Button>
      </Form>
      {settings && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }} data-testid="kpi-changed">
          {settings.changedAt ? t('settings.kpi.changed', { time: dayjs(settings.changedAt).format('YYYY-MM-DD HH:mm:ss') }) : t('settings.kpi.neverChanged')}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
