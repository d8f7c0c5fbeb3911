import { Alert, App, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { usePromptLabel } from './labels.ts';
import { PromptModal } from './PromptModal.tsx';
import type { VoicePrompt, VoicePrompts } from './types.ts';

/**
 * 语音提示 (docs/console.md): every prompt the hotline plays, its default words and what the court's callers hear
 * now; each opens a dialog to listen, upload a recording, have words spoken, or go back to the default.
 */
export default function VoicePromptsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const label = usePromptLabel();
  const [data, setData] = useState<VoicePrompts>();
  const [open, setOpen] = useState<string>();

  const load = useCallback(async () => {
    try {
      setData(await api.get<VoicePrompts>('/api/telephony/prompts'));
    } catch (err) {
      void message.error(errorText(err));
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  const changed = (next: VoicePrompt) => setData((d) => d && { ...d, prompts: d.prompts.map((p) => (p.name === next.name ? next : p)) });
  const selected = data?.prompts.find((p) => p.name === open);

  return (
    <Card title={t('voicePrompts.title')} data-testid="voice-prompts-page">
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Alert type="info" showIcon title={t('voicePrompts.intro')} />
        <Table<VoicePrompt>
          data-testid="voice-prompts"
          size="small"
          rowKey="name"
          loading={!data}
          dataSource={data?.prompts ?? []}
          pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
          columns={[
            { title: t('voicePrompts.prompt'), dataIndex: 'name', width: 180, render: (name: string) => label(name) },
            { title: t('voicePrompts.shippedText'), dataIndex: 'shippedText', ellipsis: true },
            {
              title: t('voicePrompts.current'),
              width: 210,
              render: (_: unknown, p) =>
                p.custom ? (
                  <Space size={4}>
                    <Tag color="blue">{t(`voicePrompts.status.${p.custom.source}`)}</Tag>
                    <Typography.Text type="secondary">{t('voicePrompts.duration', { s: (p.custom.durationMs / 1000).toFixed(1) })}</Typography.Text>
                  </Space>
                ) : (
                  <Tag>{t('voicePrompts.status.shipped')}</Tag>
                ),
            },
            {
              title: '',
              width: 130,
              render: (_: unknown, p) => (
                <Button size="small" data-testid={`voice-prompt-open-${p.name}`} onClick={() => setOpen(p.name)}>
                  {t('voicePrompts.manage')}
                </Button>
              ),
            },
          ]}
        />
      </Space>
      {selected && data && <PromptModal prompt={selected} limits={data} onChanged={changed} onClose={() => setOpen(undefined)} />}
    </Card>
  );
}
