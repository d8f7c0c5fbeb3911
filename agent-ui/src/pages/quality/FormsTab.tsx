import { Alert, Button, Card, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { FormEditor } from './FormEditor.tsx';
import { SettingsCard } from './SettingsCard.tsx';
import type { QualityForm } from './types.ts';

/** A manager's forms (every version; a change is a new version) and the sampling settings. */
export function FormsTab() {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const [forms, setForms] = useState<QualityForm[]>([]);
  const [editing, setEditing] = useState<QualityForm | null>();
  const [error, setError] = useState<string>();
  const load = useCallback(() => {
    api.get<QualityForm[]>('/api/telephony/quality/forms').then(setForms, (err) => setError(errorText(err)));
  }, [api]);
  useEffect(load, [load]);
  const retire = (f: QualityForm) => api.post(`/api/telephony/quality/forms/${f.id}/retire`).then(load, (err) => setError(errorText(err)));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large">
      <Card size="small" title={t('quality.forms')} extra={<Button type="primary" onClick={() => setEditing(null)}>{t('quality.newForm')}</Button>}>
        {error && <Alert type="error" showIcon title={error} />}
        <Table
          data-testid="quality-forms"
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={forms}
          columns={[
            { title: t('quality.formName'), dataIndex: 'name' },
            { title: '', key: 'v', render: (_, f) => t('quality.version', { n: f.version }) },
            { title: t('quality.items'), key: 'items', render: (_, f) => f.items.map((i) => <Tag key={i.key} color={i.fatal ? 'red' : undefined}>{i.fatal ? i.label : `${i.label} ${i.weight}`}</Tag>) },
            { title: t('quality.status'), key: 's', render: (_, f) => (f.retiredAt ? <Tag>{t('quality.retired')}</Tag> : <Tag color="green">{t('quality.current')}</Tag>) },
            {
              title: '',
              key: 'act',
              render: (_, f) =>
                f.retiredAt ? null : (
                  <Space>
                    <Button size="small" onClick={() => setEditing(f)}>{t('quality.newVersion')}</Button>
                    <Button size="small" danger onClick={() => void retire(f)}>{t('quality.retire')}</Button>
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      <SettingsCard />
      {editing !== undefined && <FormEditor base={editing} onClose={(changed) => { setEditing(undefined); if (changed) load(); }} />}
    </Space>
  );
}
