import { Alert, App, Button, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { CategoryModal } from './CategoryModal.tsx';
import type { CategoryPolicy } from './types.ts';

/** Ticket categories with their deadline policy (GET/POST/PATCH /api/ticket-categories): list, add, edit. */
export function CategoriesTab() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [rows, setRows] = useState<CategoryPolicy[]>([]);
  const [editing, setEditing] = useState<CategoryPolicy | 'new'>();

  const load = useCallback(async () => {
    try {
      setRows(await api.get<CategoryPolicy[]>('/api/ticket-categories'));
    } catch (err) {
      void message.error(errorText(err));
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  const yesNo = (value: boolean) => (value ? t('settings.categories.yes') : t('settings.categories.no'));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Alert type="info" showIcon title={t('settings.categories.intro')} />
      <Space>
        <Button type="primary" onClick={() => setEditing('new')}>
          {t('settings.categories.add')}
        </Button>
        <Button onClick={() => void load()}>{t('settings.refresh')}</Button>
      </Space>
      <Table
        data-testid="settings-categories"
        size="small"
        rowKey="code"
        pagination={false}
        dataSource={rows}
        scroll={{ x: 900 }}
        columns={[
          { title: t('settings.categories.code'), dataIndex: 'code', width: 150 },
          { title: t('settings.categories.nameZh'), dataIndex: i18n.language === 'en' ? 'nameEn' : 'nameZh' },
          {
            title: t('settings.categories.deadline'),
            key: 'deadline',
            width: 140,
            render: (_, row) => t('settings.categories.deadlineText', { days: row.deadlineDays, kind: t(`settings.categories.dayKinds.${row.dayKind}`) }),
          },
          {
            title: t('settings.categories.state'),
            dataIndex: 'active',
            width: 90,
            render: (active: boolean) => <Tag color={active ? 'green' : 'default'}>{active ? t('settings.categories.active') : t('settings.categories.inactive')}</Tag>,
          },
          { title: t('settings.categories.confidential'), dataIndex: 'confidential', width: 80, render: yesNo },
          { title: t('settings.categories.callback'), dataIndex: 'callbackWhenAnsweredOnSpot', width: 150, render: yesNo },
          { title: t('settings.categories.sortOrder'), dataIndex: 'sortOrder', width: 70 },
          {
            title: t('settings.categories.act'),
            key: 'act',
            width: 90,
            render: (_, row) => (
              <Button type="link" aria-label={`${t('settings.categories.edit')} ${row.code}`} onClick={() => setEditing(row)}>
                {t('settings.categories.edit')}
              </Button>
            ),
          },
        ]}
      />
      {editing && (
        <CategoryModal
          category={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={async () => {
            setEditing(undefined);
            void message.success(t('settings.saved'));
            await load();
          }}
        />
      )}
    </Space>
  );
}
