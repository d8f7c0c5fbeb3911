import { Alert, App, Button, Card, Descriptions, InputNumber, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import type { RetentionView } from './types.ts';

const when = (at: string | null) => (at ? dayjs(at).format('YYYY-MM-DD HH:mm') : '—');

/**
 * The court's retention in days (GET/PUT /api/telephony/recording-retention). Typing a value previews what it would
 * remove (?days=) before it is saved; saving answers the new effect at once.
 */
export function RetentionCard({ refreshKey }: { refreshKey: number }) {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [view, setView] = useState<RetentionView>();
  const [days, setDays] = useState<number | null>(null);
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    api.get<RetentionView>('/api/telephony/recording-retention').then(
      (v) => {
        setView(v);
        setDays(v.days);
      },
      (err) => setError(errorText(err)),
    );
  }, [api, refreshKey]);

  // The preview of an unsaved value, a moment after typing stops.
  useEffect(() => {
    if (!view || days === null || days === view.effect.days || !Number.isInteger(days) || days < view.min || days > view.max) return;
    const timer = setTimeout(() => {
      api.get<RetentionView>(`/api/telephony/recording-retention?days=${days}`).then(setView, (err) => setError(errorText(err)));
    }, 300);
    return () => clearTimeout(timer);
  }, [api, days, view]);

  const save = async () => {
    setError(undefined);
    setSaving(true);
    try {
      const saved = await api.put<RetentionView>('/api/telephony/recording-retention', { days });
      setView(saved);
      setDays(saved.days);
      void message.success(t('retention.saved'));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  if (!view) return <Card size="small" title={t('retention.retention')} loading={!error}>{error && <Alert type="error" showIcon title={error} />}</Card>;
  const preview = view.effect.days !== view.days;
  return (
    <Card size="small" title={t('retention.retention')} data-testid="retention-card">
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Alert type="info" showIcon title={t('retention.intro', { min: view.min, max: view.max })} />
        {error && <Alert type="error" showIcon title={error} data-testid="retention-error" />}
        <Space wrap>
          <Typography.Text>{t('retention.days')}</Typography.Text>
          <InputNumber aria-label={t('retention.days')} value={days} onChange={(v) => setDays(typeof v === 'number' ? v : null)} style={{ width: 120 }} data-testid="retention-days" />
          <Typography.Text>{t('retention.dayUnit')}</Typography.Text>
          <Button type="primary" onClick={save} loading={saving} disabled={days === null} data-testid="retention-save">
            {t('retention.save')}
          </Button>
          <Typography.Text type="secondary" data-testid="retention-changed">
            {view.own ? t('retention.changed', { at: when(view.updatedAt) }) : t('retention.usingDefault', { days: view.defaultDays })}
          </Typography.Text>
        </Space>
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, lg: 2 }}
          data-testid="retention-effect"
          title={preview ? <Tag color="orange">{t('retention.previewOf', { days: view.effect.days })}</Tag> : <Tag color="green">{t('retention.effectOf', { days: view.effect.days })}</Tag>}
        >
          <Descriptions.Item label={t('retention.stored')}>{t('retention.count', { n: view.effect.stored })}</Descriptions.Item>
          <Descriptions.Item label={t('retention.held')}>{t('retention.count', { n: view.effect.held })}</Descriptions.Item>
          <Descriptions.Item label={t('retention.dueNow')}>
            <span data-testid="retention-due">{t('retention.count', { n: view.effect.dueNow })}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('retention.nextRun')}>{view.nextRunAt ? when(view.nextRunAt) : t('retention.daily')}</Descriptions.Item>
          <Descriptions.Item label={t('retention.oldestKept')} span={2}>
            <span data-testid="retention-oldest">{view.effect.oldestKeptExpiresAt ? when(view.effect.oldestKeptExpiresAt) : t('retention.none')}</span>
          </Descriptions.Item>
        </Descriptions>
      </Space>
    </Card>
  );
}
