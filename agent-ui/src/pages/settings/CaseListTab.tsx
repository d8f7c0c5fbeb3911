import { Alert, App, Button, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';

/** The server lists a refused file's problems after the colon, separated by "; " (telephony/cases/import.ts). */
function problemsOf(text: string): string[] {
  // The Chinese message ends its lead with "：", the English one with the first ": " (rows say "row 3: …" after it).
  const wide = text.indexOf('：');
  const colon = wide >= 0 ? wide : text.indexOf(': ');
  return colon < 0 ? [text] : text.slice(colon + 1).trim().split('; ');
}

/**
 * The case directory (案号 → judge / department) the voice menu routes by: a CSV file read in the browser, its first
 * lines shown, then sent whole (POST /api/telephony/case-directory/import). The server takes all rows or none and
 * names every bad row.
 */
export function CaseListTab() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [file, setFile] = useState<{ name: string; csv: string }>();
  const [problems, setProblems] = useState<string[]>();
  const [imported, setImported] = useState<number>();
  const [busy, setBusy] = useState(false);

  const lines = file ? file.csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '') : [];
  const send = async () => {
    if (!file) return;
    setBusy(true);
    setProblems(undefined);
    setImported(undefined);
    try {
      const result = await api.post<{ imported: number }>('/api/telephony/case-directory/import', { csv: file.csv });
      setImported(result.imported);
      void message.success(t('settings.cases.done', { n: result.imported }));
    } catch (err) {
      setProblems(err instanceof ApiError && err.code === 'case_import_invalid' ? problemsOf(err.text(i18n.language)) : [errorText(err)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%', maxWidth: 900 }} size="middle">
      <Alert type="info" showIcon title={t('settings.cases.intro')} />
      <Space>
        <Upload
          accept=".csv,text/csv"
          maxCount={1}
          showUploadList={false}
          beforeUpload={async (chosen) => {
            setFile({ name: chosen.name, csv: await chosen.text() });
            setProblems(undefined);
            setImported(undefined);
            return false;
          }}
        >
          <Button data-testid="cases-choose">{t('settings.cases.choose')}</Button>
        </Upload>
        <Button type="primary" disabled={!file} loading={busy} onClick={send} data-testid="cases-import">
          {t('settings.cases.import')}
        </Button>
      </Space>
      {file && (
        <div data-testid="cases-file">
          <Typography.Text strong>{t('settings.cases.file', { name: file.name, rows: Math.max(lines.length - 1, 0) })}</Typography.Text>
          <pre style={{ background: 'rgba(0,0,0,0.03)', padding: 8, marginTop: 8, overflowX: 'auto' }}>{lines.slice(0, 6).join('\n')}</pre>
        </div>
      )}
      {problems && (
        <Alert
          type="error"
          showIcon
          data-testid="cases-problems"
          title={t('settings.cases.refused')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          }
        />
      )}
      {imported !== undefined && <Alert type="success" showIcon data-testid="cases-done" title={t('settings.cases.done', { n: imported })} />}
    </Space>
  );
}
