import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import type { KpiTable } from '../../api/kpi.ts';

/** A table whose rollups disagree with the recount from the raw records says so, with both (never silently). */
export function CheckAlert({ table }: { table: KpiTable | undefined }) {
  const { t } = useTranslation();
  if (!table || table.check.status === 'agrees' || !table.check.rollupTotal) return null;
  const said = table.check.rollupTotal;
  const now = table.total.sums;
  return (
    <div data-testid="kpi-check-disagrees">
    <Alert
      type="error"
      showIcon
      title={t('kpi.check.disagrees')}
      description={t('kpi.check.detail', {
        count: table.check.differenceCount,
        rollupAnswered: said.answered,
        rollupDue: said.due,
        rollupCompleted: said.completed,
        answered: now.answered,
        due: now.due,
        completed: now.completed,
      })}
    />
    </div>
  );
}
