import { Button, Card, Input, List, Tag, Typography, type InputRef } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KnowledgeHit } from '../../api/types.ts';
import { useCategories } from '../../api/useCategories.ts';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { useHotkeys } from '../../shell/useHotkeys.ts';

/**
 * The knowledge base on the desk (智能问答): type the caller's question and the best answers show as you type
 * (GET /api/knowledge/search). Alt+K jumps to the box from anywhere on the desk; Esc clears it. "Use as
 * answer" puts the answer into the work order as answered on the spot.
 */
export function KnowledgePanel({ onUse }: { onUse: (answer: string) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const { nameOf } = useCategories();
  const input = useRef<InputRef>(null);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<KnowledgeHit[]>();
  const [error, setError] = useState<string>();
  useHotkeys({ 'Alt+K': () => input.current?.focus({ cursor: 'all' }) });

  useEffect(() => {
    const q = query.trim();
    if (!q) return setHits(undefined);
    let current = true;
    // Searches once typing pauses, not on every keystroke (IME composition sends many).
    const timer = setTimeout(() => {
      api.get<KnowledgeHit[]>(`/api/knowledge/search?q=${encodeURIComponent(q)}&limit=5`).then(
        (found) => current && (setHits(found), setError(undefined)),
        (err) => current && setError(errorText(err)),
      );
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, query]);

  return (
    <Card size="small" title={t('knowledge.panel')} data-testid="knowledge-panel">
      <Input.Search
        ref={input}
        allowClear
        value={query}
        aria-label={t('knowledge.panel')}
        placeholder={t('knowledge.searchPlaceholder')}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && setQuery('')}
      />
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      {hits && (
        <List
          size="small"
          dataSource={hits}
          locale={{ emptyText: t('knowledge.noHits') }}
          style={{ maxHeight: 360, overflowY: 'auto' }}
          renderItem={(hit) => (
            <List.Item key={hit.id}>
              <List.Item.Meta
                title={<>{hit.question} <Tag>{nameOf(hit.category)}</Tag></>}
                description={
                  <>
                    <Typography.Paragraph style={{ marginBottom: 4, color: 'rgba(0,0,0,0.85)', whiteSpace: 'pre-wrap' }}>{hit.answer}</Typography.Paragraph>
                    {hit.source && <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 4 }}>{t('knowledge.source')}：{hit.source}</Typography.Paragraph>}
                    <Button size="small" onClick={() => onUse(hit.answer)}>{t('knowledge.copy')}</Button>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
