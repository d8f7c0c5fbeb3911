import { Alert } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Wallboard } from './useWallboard.ts';

/**
 * What the wallboard could not refresh at its last try, and the time of the numbers it still shows (or that it has
 * none): a manager never reads an old queue or old rates as current. Gone once a refresh succeeds.
 */
export function StaleAlert({ stale }: { stale: Wallboard['stale'] }) {
  const { t } = useTranslation();
  const parts = (['queue', 'figures'] as const).flatMap((part) => {
    const s = stale[part];
    if (!s) return [];
    return [s.since === undefined ? t(`wallboard.stale.${part}None`) : t(`wallboard.stale.${part}Since`, { time: dayjs(s.since).format('HH:mm:ss') })];
  });
  if (parts.length === 0) return null;
  return <Alert type="warning" showIcon title={parts.join(' ')} style={{ marginBottom: 16 }} data-testid="wallboard-stale" />;
}
