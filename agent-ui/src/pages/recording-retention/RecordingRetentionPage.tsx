import { Card, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HoldsCard } from './HoldsCard.tsx';
import { RetentionCard } from './RetentionCard.tsx';

/** A court admin's recordings page: how long recordings are kept, and the legal holds that keep one longer. */
export default function RecordingRetentionPage() {
  const { t } = useTranslation();
  // A hold lifted here changes what the next run removes: the retention card reads again.
  const [refreshKey, setRefreshKey] = useState(0);
  return (
    <Card title={t('retention.title')} data-testid="recording-retention-page">
      <Space orientation="vertical" style={{ width: '100%' }} size="large">
        <RetentionCard refreshKey={refreshKey} />
        <HoldsCard onChange={() => setRefreshKey((k) => k + 1)} />
      </Space>
    </Card>
  );
}
