import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Dimension } from '../../api/kpi.ts';
import type { Department, Judge } from '../../api/types.ts';
import { useCategories } from '../../api/useCategories.ts';
import { useLookup } from '../../api/useLookup.ts';

interface Operator { id: string; displayName: string }

/**
 * Names for the keys of KPI rows (user ids, department ids, category codes), from the court's directory. A list
 * that could not be read is named in the shell's notice (and read again) while its rows show short ids.
 */
export function useKeyNames(): (by: Dimension, key: string | null) => string {
  const { t } = useTranslation();
  const { nameOf } = useCategories();
  const operators = useLookup<Operator[]>('/api/console/operators', 'operators').data;
  const departments = useLookup<Department[]>('/api/departments', 'departments').data;
  const judges = useLookup<Judge[]>('/api/judges', 'judges').data;
  const names = useMemo(
    () =>
      Object.fromEntries([
        ...(operators ?? []).map((o) => [o.id, o.displayName]),
        ...(departments ?? []).map((d) => [d.id, d.name]),
        ...(judges ?? []).map((j) => [j.userId, j.displayName]),
      ]) as Record<string, string>,
    [operators, departments, judges],
  );
  return (by, key) => {
    if (key === null) return t('kpi.none');
    if (by === 'category') return nameOf(key);
    return names[key] ?? key.slice(0, 8);
  };
}
