import { Alert, App, Button, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { CaseSourceCard } from './CaseSourceCard.tsx';
import type { CaseImportPreview, CaseRowProblem } from './case-types.ts';

/** A preview's problems: row, column and the message in the console's language with the other one beneath. */
export function CaseProblems({ problems, testId }: { problems: CaseRowProblem[]; testId: string }) {
  const { t, i18n } = useTranslation();
  const zh = !i18n.language.startsWith('en');
  return (
    <Table
      data-testid={testId}
      size="small"
      rowKey={(p) => `${p.row}-${p.column}-${p.messageEn}`}
      pagination={problems.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
      dataSource={problems}
      columns={[
        { title: t('settings.cases.row'), dataIndex: 'row', width: 80, render: (row: number | null) => row ?? t('settings.cases.wholeFile') },
        { title: t('settings.cases.column'), dataIndex: 'column', width: 140, render: (c: CaseRowProblem['column']) => (c ? t(`settings.cases.columns.${c}`) : '—') },
        {
          title: t('settings.cases.problem'),
          key: 'message',
          render: (_, p) => (
            <>
              <div>{zh ? p.messageZh : p.messageEn}</div>
              <Typography.Text type="secondary">{zh ? p.messageEn : p.messageZh}</Typography.Text>
            </>
          ),
        },
      ]}
    />
  );
}

/**
 * The case directory (案号 → judge / department) the voice menu routes by: a CSV file read in the browser, checked by
 * the server without writing (POST …/case-directory/preview: every row's problem, or how many cases are new and
 * changed), then imported only when the admin confirms (POST …/import, all rows or none). Below, the HTTP source.
 */
export function CaseListTab() {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [file, setFile] = useState<{ name: string; csv: string }>();
  const [preview, setPreview] = useState<CaseImportPreview>();
  const [error, setError] = useState<string>();
  const [imported, setImported] = useState<{ imported: number; created: number; updated: number }>();
  const [busy, setBusy] = useState(false);

  const lines = file ? file.csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '') : [];
  const run = async (step: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await step();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const check = () => run(async () => setPreview(await api.post<CaseImportPreview>('/api/telephony/case-directory/preview', { csv: file!.csv })));
  const confirm = () =>
    run(async () => {
      const result = await api.post<{ imported: number; created: number; updated: number }>('/api/telephony/case-directory/import', { csv: file!.csv });
      setImported(result);
      setPreview(undefined);
      void message.success(t('settings.cases.done', { n: result.imported }));
    });
  const ready = preview && preview.problems.length === 0;

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
            setPreview(undefined);
            setImported(undefined);
            setError(undefined);
            return false;
          }}
        >
          <Button data-testid="cases-choose">{t('settings.cases.choose')}</Button>
        </Upload>
        <Button type="primary" disabled={!file} loading={busy && !preview} onClick={check} data-testid="cases-check">
          {t('settings.cases.check')}
        </Button>
      </Space>
      {file && (
        <div data-testid="cases-file">
          <Typography.Text strong>{t('settings.cases.file', { name: file.name, rows: Math.max(lines.length - 1, 0) })}</Typography.Text>
          <pre style={{ background: 'rgba(0,0,0,0.03)', padding: 8, marginTop: 8, overflowX: 'auto' }}>{lines.slice(0, 6).join('\n')}</pre>
        </div>
      )}
      {error && <Alert type="error" showIcon title={error} data-testid="cases-error" />}
      {preview && preview.problems.length > 0 && (
        <>
          <Alert type="error" showIcon title={t('settings.cases.refused', { n: preview.problems.length })} data-testid="cases-refused" />
          <CaseProblems problems={preview.problems} testId="cases-problems" />
        </>
      )}
      {ready && (
        <Alert
          type="warning"
          showIcon
          data-testid="cases-preview"
          title={t('settings.cases.preview', { total: preview.total, created: preview.created, updated: preview.updated, unchanged: preview.unchanged })}
          action={
            <Button type="primary" loading={busy} onClick={confirm} data-testid="cases-confirm">
              {t('settings.cases.confirm')}
            </Button>
          }
        />
      )}
      {imported && <Alert type="success" showIcon data-testid="cases-done" title={t('settings.cases.imported', imported)} />}
      <CaseSourceCard />
    </Space>
  );
}
