import { Alert, App, Button, Form, Input, Modal, Radio, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import type { CalendarDay, CalendarDayKind } from './types.ts';

interface Props {
  day: string;
  current: CalendarDay | undefined;
  onClose: () => void;
  onChanged: () => Promise<void>;
}

/** One day of the court's calendar: make it a holiday or a make-up working day (PUT), or drop the court's own (DELETE). */
export function CalendarDayModal({ day, current, onClose, onChanged }: Props) {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ kind: CalendarDayKind; name: string; source: string }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const own = current?.origin === 'court';

  const run = async (change: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await change();
      void message.success(done);
      await onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const save = async () => {
    const values = await form.validateFields();
    await run(() => api.put('/api/calendar', { day, ...values }), t('settings.saved'));
  };
  const remove = () => run(() => api.delete(`/api/calendar/${day}`), t('settings.calendar.removed'));

  return (
    <Modal
      open
      title={t('settings.calendar.editTitle', { day })}
      onCancel={onClose}
      footer={[
        own && (
          <Button key="remove" danger disabled={busy} onClick={remove}>
            {t('settings.calendar.remove')}
          </Button>
        ),
        <Button key="cancel" onClick={onClose}>
          {t('settings.cancel')}
        </Button>,
        <Button key="save" type="primary" loading={busy} onClick={save}>
          {t('settings.save')}
        </Button>,
      ]}
    >
      <Typography.Paragraph type="secondary">
        {current
          ? t('settings.calendar.current', { name: current.name, origin: t(`settings.calendar.${current.origin}`), kind: t(`settings.calendar.${current.kind}`) })
          : t('settings.calendar.normal')}
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="calendar-day-error" />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: current?.kind ?? 'holiday', name: own ? current.name : '', source: own ? current.source : '' }}
      >
        <Form.Item name="kind" label={t('settings.calendar.kind')}>
          <Radio.Group
            options={[
              { value: 'holiday', label: t('settings.calendar.holiday') },
              { value: 'workday', label: t('settings.calendar.workday') },
            ]}
          />
        </Form.Item>
        <Form.Item name="name" label={t('settings.calendar.name')} rules={[{ required: true, whitespace: true, message: t('settings.calendar.required') }, { max: 100 }]}>
          <Input placeholder={t('settings.calendar.namePlaceholder')} maxLength={100} />
        </Form.Item>
        <Form.Item name="source" label={t('settings.calendar.source')} rules={[{ required: true, whitespace: true, message: t('settings.calendar.required') }, { max: 500 }]}>
          <Input placeholder={t('settings.calendar.sourcePlaceholder')} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
