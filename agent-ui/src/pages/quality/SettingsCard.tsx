import { Alert, Button, Card, InputNumber, Input, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';

interface Settings {
  sharePercent: number;
  seed: string;
}

/** The court's random share and seed (a manager's); weeks already drawn keep the ones they were drawn with. */
export function SettingsCard() {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const [value, setValue] = useState<Settings>();
  const [note, setNote] = useState<string>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.get<Settings>('/api/telephony/quality/settings').then(setValue, (err) => setError(errorText(err)));
  }, [api]);
  const save = () => {
    setError(undefined);
    setNote(undefined);
    api.put<Settings>('/api/telephony/quality/settings', value).then((v) => { setValue(v); setNote(t('quality.saved')); }, (err) => setError(errorText(err)));
  };
  if (!value) return error ? <Alert type="error" showIcon title={error} /> : null;
  return (
    <Card size="small" title={t('quality.settings')}>
      <Typography.Paragraph type="secondary">{t('quality.settingsHint')}</Typography.Paragraph>
      <Space wrap>
        <Typography.Text>{t('quality.share')}</Typography.Text>
        <InputNumber aria-label={t('quality.share')} min={0} max={100} precision={0} value={value.sharePercent} onChange={(n) => setValue({ ...value, sharePercent: n ?? 0 })} />
        <Typography.Text>{t('quality.seed')}</Typography.Text>
        <Input aria-label={t('quality.seed')} style={{ width: 200 }} maxLength={64} value={value.seed} onChange={(e) => setValue({ ...value, seed: e.target.value })} />
        <Button type="primary" onClick={save}>
          {t('quality.save')}
        </Button>
      </Space>
      {note && <Alert type="success" showIcon title={note} />}
      {error && <Alert type="error" showIcon title={error} />}
    </Card>
  );
}
