import { Alert } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { kpiParams, type Span, type Unassigned } from '../../api/kpi.ts';
import { useApi, useProfile } from '../../session/SessionProvider.tsx';

/** For admins: calls of the whole deployment whose number maps to no court in the span (counted in no court's figures). */
export function UnassignedAlert({ span }: { span: Span }) {
  const { t } = useTranslation();
  const api = useApi();
  const profile = useProfile();
  const [found, setFound] = useState<Unassigned>();
  const isAdmin = profile.role === 'admin';
  useEffect(() => {
    if (!isAdmin) return;
    let current = true;
    api.get<Unassigned>(`/api/kpi/unassigned?${kpiParams(span)}`).then(
      (u) => current && setFound(u),
      () => current && setFound(undefined),
    );
    return () => void (current = false);
  }, [api, span, isAdmin]);
  if (!isAdmin || !found || found.calls === 0) return null;
  return (
    <div data-testid="kpi-unassigned">
    <Alert
      type="warning"
      showIcon
      title={t('kpi.unassigned.title', { calls: found.calls })}
      description={t('kpi.unassigned.detail', { offered: found.offered, answered: found.answered, abandoned: found.abandoned, numbers: found.numbers.map((n) => `${n.dialled} (${n.calls})`).join('、') })}
    />
    </div>
  );
}
