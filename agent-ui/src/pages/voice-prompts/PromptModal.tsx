import { Alert, App, Button, Descriptions, Divider, Input, Modal, Popconfirm, Space, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { audioUrl, type VoicePrompt, type VoicePrompts } from './types.ts';
import { usePromptLabel } from './labels.ts';

/** The file's bytes as base64 (the upload route takes JSON). */
function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',')[1] ?? '');
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

interface Props {
  prompt: VoicePrompt;
  limits: Pick<VoicePrompts, 'formats' | 'maxSeconds' | 'maxText' | 'maxUploadBytes'>;
  onChanged(next: VoicePrompt): void;
  onClose(): void;
}

/**
 * One prompt: the player plays what the court's callers hear now (the converted file the server keeps); an upload or
 * words replace it at once, a refusal (not audio, too long) leaves it as it was and says why.
 */
export function PromptModal({ prompt, limits, onChanged, onClose }: Props) {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const label = usePromptLabel();
  const [text, setText] = useState(prompt.custom?.text ?? prompt.shippedText);
  const [busy, setBusy] = useState<'upload' | 'text' | 'revert'>();
  const [error, setError] = useState<string>();

  const run = async (kind: 'upload' | 'text' | 'revert', work: () => Promise<VoicePrompt>, done: string) => {
    setBusy(kind);
    setError(undefined);
    try {
      onChanged(await work());
      void message.success(done);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(undefined);
    }
  };
  const path = `/api/telephony/prompts/${prompt.name}`;
  const upload = (file: File) =>
    run('upload', async () => api.put<VoicePrompt>(`${path}/recording`, { fileName: file.name, audioBase64: await base64Of(file) }), t('voicePrompts.saved'));
  const speak = () => run('text', () => api.put<VoicePrompt>(`${path}/text`, { text }), t('voicePrompts.saved'));
  const revert = () => run('revert', () => api.delete<VoicePrompt>(path), t('voicePrompts.reverted'));
  const custom = prompt.custom;

  return (
    <Modal open title={label(prompt.name)} onCancel={onClose} footer={<Button onClick={onClose}>{t('voicePrompts.close')}</Button>} width={640} data-testid="voice-prompt-modal">
      <Space orientation="vertical" style={{ width: '100%' }} size="small">
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('voicePrompts.shippedText')}>{prompt.shippedText}</Descriptions.Item>
          <Descriptions.Item label={t('voicePrompts.current')}>
            {custom ? (
              <Space size={8} wrap>
                <span data-testid="voice-prompt-source">{t(`voicePrompts.status.${custom.source}`)}</span>
                <Typography.Text type="secondary">{t('voicePrompts.duration', { s: (custom.durationMs / 1000).toFixed(1) })}</Typography.Text>
                {custom.fileName && <Typography.Text type="secondary">{t('voicePrompts.fileName', { name: custom.fileName })}</Typography.Text>}
                <Typography.Text type="secondary">{t('voicePrompts.updated', { at: dayjs(custom.updatedAt).format('YYYY-MM-DD HH:mm') })}</Typography.Text>
              </Space>
            ) : (
              <span data-testid="voice-prompt-source">{t('voicePrompts.status.shipped')}</span>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('voicePrompts.preview')}>
            {/* key: a new version is a new element, so the player loads it */}
            <audio key={audioUrl(prompt)} controls preload="metadata" src={audioUrl(prompt)} data-testid="voice-prompt-audio" style={{ width: '100%' }} />
          </Descriptions.Item>
        </Descriptions>
        {error && <Alert type="error" showIcon title={error} data-testid="voice-prompt-error" />}
        <Divider style={{ margin: '4px 0' }} />
        <Space wrap>
          <Upload accept={limits.formats.map((f) => `.${f}`).join(',')} showUploadList={false} beforeUpload={(file) => (void upload(file), false)} disabled={!!busy}>
            <Button loading={busy === 'upload'} data-testid="voice-prompt-upload">
              {busy === 'upload' ? t('voicePrompts.uploading') : t('voicePrompts.upload')}
            </Button>
          </Upload>
          <Typography.Text type="secondary">
            {t('voicePrompts.uploadHint', { formats: limits.formats.join(', '), seconds: limits.maxSeconds, mb: Math.floor(limits.maxUploadBytes / 1024 / 1024) })}
          </Typography.Text>
        </Space>
        <Typography.Text strong>{t('voicePrompts.text')}</Typography.Text>
        <Input.TextArea
          value={text}
          onChange={(e) => setText(e.target.value)}
          maxLength={limits.maxText}
          showCount
          autoSize={{ minRows: 2, maxRows: 4 }}
          placeholder={t('voicePrompts.textPlaceholder')}
          data-testid="voice-prompt-text"
        />
        <Space>
          <Button type="primary" loading={busy === 'text'} disabled={!!busy || text.trim() === ''} onClick={() => void speak()} data-testid="voice-prompt-speak">
            {busy === 'text' ? t('voicePrompts.speaking') : t('voicePrompts.speak')}
          </Button>
          {custom && (
            <Popconfirm title={t('voicePrompts.revertConfirm')} onConfirm={() => void revert()}>
              <Button danger loading={busy === 'revert'} disabled={!!busy} data-testid="voice-prompt-revert">
                {t('voicePrompts.revert')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      </Space>
    </Modal>
  );
}
