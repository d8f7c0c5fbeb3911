import { Alert, App, Button, Card, Empty, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useProfile } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { DecisionForm } from './DecisionForm.tsx';
import { DecisionTable } from './DecisionTable.tsx';
import { printStyle } from './print-style.ts';
import type { Decision, WeeklyReport } from './report.ts';
import { ReportView } from './ReportView.tsx';

const weekText = (report: WeeklyReport) => ({ from: report.weekStart, to: dayjs(report.weekStart).add(6, 'day').format('YYYY-MM-DD') });

/**
 * The weekly report (seed 002 §22) for the review meeting (docs/console.md): read it, print it (or save it as a PDF),
 * download it as Excel, record the meeting's decisions and follow up the earlier ones.
 */
export default function ReportsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const profile = useProfile();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [reports, setReports] = useState<WeeklyReport[]>();
  const [selected, setSelected] = useState<number>();
  const [decisions, setDecisions] = useState<Decision[]>([]);
  const canEdit = profile.role === 'manager';

  const loadReports = useCallback(async (pick?: number) => {
    try {
      const list = await api.get<WeeklyReport[]>('/api/kpi/weekly-reports');
      setReports(list);
      setSelected((current) => pick ?? current ?? list[0]?.id);
    } catch (err) {
      setReports([]);
      void message.error(errorText(err));
    }
  }, [api]);
  useEffect(() => void loadReports(), [loadReports]);

  const loadDecisions = useCallback(async () => {
    if (selected === undefined) return setDecisions([]);
    try {
      setDecisions(await api.get<Decision[]>(`/api/kpi/weekly-reports/${selected}/decisions`));
    } catch (err) {
      void message.error(errorText(err));
    }
  }, [api, selected]);
  useEffect(() => void loadDecisions(), [loadDecisions]);

  const issue = async () => {
    try {
      const report = await api.post<WeeklyReport>('/api/kpi/weekly-reports', {});
      void message.success(t('reports.issuedOk'));
      await loadReports(report.id);
    } catch (err) {
      void message.error(errorText(err));
    }
  };
  const record = async (body: { text: string; ownerUserId: string; dueDate: string }) => {
    try {
      await api.post(`/api/kpi/weekly-reports/${selected}/decisions`, body);
      void message.success(t('reports.recordedOk'));
      await loadDecisions();
      return true;
    } catch (err) {
      void message.error(errorText(err));
      return false;
    }
  };
  const setState = async (decision: Decision, state: Decision['state']) => {
    try {
      await api.patch(`/api/kpi/report-decisions/${decision.id}`, { state });
      void message.success(t('reports.stateSaved'));
    } catch (err) {
      void message.error(errorText(err));
    }
    await loadDecisions();
  };

  const report = reports?.find((r) => r.id === selected);
  return (
    <>
      <style>{printStyle}</style>
      <Card
        size="small"
        loading={!reports}
        title={
          <span data-testid="report-title">
            {profile.courtName} {t('reports.title')}
            {report && ` · ${t('reports.weekOf', weekText(report))}`}
          </span>
        }
        extra={
          <Space className="screen-only" wrap>
            <Select
              aria-label={t('reports.pick')}
              style={{ width: 230 }}
              value={selected}
              onChange={setSelected}
              options={(reports ?? []).map((r) => ({ value: r.id, label: t('reports.weekOf', weekText(r)) }))}
            />
            {canEdit && <Button onClick={() => void issue()}>{t('reports.issue')}</Button>}
            <Button disabled={!report} onClick={() => window.print()} data-testid="report-print">{t('reports.print')}</Button>
            <Button disabled={!report} href={report ? `/api/kpi/weekly-reports/${report.id}/xlsx` : undefined} download data-testid="report-xlsx">{t('reports.xlsx')}</Button>
          </Space>
        }
      >
        {reports && !report && <Empty description={t('reports.none')} />}
        {report && (
          <>
            <Typography.Paragraph type="secondary">
              {t('reports.issued', { time: dayjs(report.generatedAt).format('YYYY-MM-DD HH:mm'), trigger: t(`reports.trigger.${report.trigger}`) })}
            </Typography.Paragraph>
            <ReportView report={report} />
            <div className="report-section">
              <Typography.Title level={5}>{t('reports.carried')}</Typography.Title>
              <Typography.Paragraph type="secondary" className="screen-only">{t('reports.carriedHint')}</Typography.Paragraph>
              <DecisionTable testId="report-carried" decisions={report.body.carriedDecisions ?? []} withWeek />
            </div>
            <div className="report-section" style={{ marginTop: 20 }}>
              <Typography.Title level={5}>{t('reports.decisions')}</Typography.Title>
              <Typography.Paragraph type="secondary" className="screen-only">{t('reports.decisionsHint')}</Typography.Paragraph>
              <DecisionTable testId="report-decisions" decisions={decisions} onState={canEdit ? (d, s) => void setState(d, s) : undefined} />
              {canEdit ? <DecisionForm onRecord={record} /> : <Alert className="screen-only" type="info" showIcon title={t('reports.readOnly')} style={{ marginTop: 12 }} />}
            </div>
          </>
        )}
      </Card>
    </>
  );
}
