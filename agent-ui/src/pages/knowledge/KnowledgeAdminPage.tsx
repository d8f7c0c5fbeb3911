import { App, Button, Card, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KnowledgeEntry } from '../../api/types.ts';
import { useCategories } from '../../api/useCategories.ts';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { useHotkeys } from '../../shell/useHotkeys.ts';
import { KnowledgeForm, type KnowledgeValues } from './KnowledgeForm.tsx';

type Editing = { entry?: KnowledgeEntry } | undefined;

/** Admins and managers keep the knowledge base operators search on a call. Alt+N adds an entry. */
export function KnowledgeAdminPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { categories, nameOf } = useCategories();
  const [entries, setEntries] = useState<KnowledgeEntry[]>([]);
  const [loading, setLoading] = useState(true);
  const [editing, setEditing] = useState<Editing>();
  const [busy, setBusy] = useState(false);
  const [filter, setFilter] = useState('');
  const [category, setCategory] = useState<string>();

  const reload = useCallback(async () => {
    try {
      setEntries(await api.get<KnowledgeEntry[]>('/api/knowledge'));
    } catch (err) {
      void message.error(errorText(err));
    } finally {
      setLoading(false);
    }
  }, [api]);
  useEffect(() => void reload(), [reload]);
  useHotkeys({ 'Alt+N': () => setEditing({}) });

  const save = async (values: KnowledgeValues) => {
    setBusy(true);
    try {
      const body = { ...values, source: values.source?.trim() || null, keywords: values.keywords ?? [] };
      if (editing?.entry) await api.patch(`/api/knowledge/${editing.entry.id}`, body);
      else await api.post('/api/knowledge', body);
      void message.success(t('common.saved'));
      setEditing(undefined);
      await reload();
    } catch (err) {
      void message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (entry: KnowledgeEntry) => {
    try {
      await api.delete(`/api/knowledge/${entry.id}`);
      void message.success(t('knowledge.removed'));
      await reload();
    } catch (err) {
      void message.error(errorText(err));
    }
  };

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return entries.filter((e) => (!category || e.category === category) && (!needle || [e.question, e.answer, ...e.keywords].some((text) => text.toLowerCase().includes(needle))));
  }, [entries, filter, category]);

  return (
    <Card title={t('knowledge.title')} extra={<Button type="primary" onClick={() => setEditing({})}>{t('knowledge.newEntry')} (Alt+N)</Button>}>
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search allowClear placeholder={t('knowledge.filter')} value={filter} onChange={(e) => setFilter(e.target.value)} style={{ width: 280 }} aria-label={t('knowledge.filter')} />
        <Select allowClear placeholder={t('knowledge.all')} value={category} onChange={setCategory} style={{ width: 180 }} options={categories.map((c) => ({ value: c.code, label: nameOf(c.code) }))} aria-label={t('knowledge.category')} />
      </Space>
      <Table<KnowledgeEntry>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={shown}
        locale={{ emptyText: t('knowledge.empty') }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        expandable={{ expandedRowRender: (entry) => <div style={{ whiteSpace: 'pre-wrap' }}>{entry.answer}{entry.source ? `\n${t('knowledge.source')}：${entry.source}` : ''}</div> }}
        columns={[
          { title: t('knowledge.question'), dataIndex: 'question' },
          { title: t('knowledge.category'), dataIndex: 'category', render: nameOf, width: 140 },
          { title: t('knowledge.keywords'), dataIndex: 'keywords', render: (keywords: string[]) => keywords.map((k) => <Tag key={k}>{k}</Tag>) },
          { title: t('admin.status'), dataIndex: 'active', width: 80, render: (active: boolean) => <Tag color={active ? 'green' : 'default'}>{active ? t('knowledge.active') : t('knowledge.inactive')}</Tag> },
          {
            title: t('common.actions'),
            width: 150,
            render: (_: unknown, entry) => (
              <Space size="small">
                <Button size="small" onClick={() => setEditing({ entry })}>{t('common.edit')}</Button>
                <Popconfirm title={t('knowledge.removeConfirm')} okText={t('knowledge.remove')} cancelText={t('common.cancel')} onConfirm={() => void remove(entry)}>
                  <Button size="small" danger>{t('knowledge.remove')}</Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing && <KnowledgeForm entry={editing.entry} categories={categories.filter((c) => c.active || c.code === editing.entry?.category)} busy={busy} onSubmit={(v) => void save(v)} onCancel={() => setEditing(undefined)} />}
    </Card>
  );
}
