import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Dimension } from '../../api/kpi.ts';
import type { Department, Judge } from '../../api/types.ts';
import { useCategories } from '../../api/useCategories.ts';
import { useApi } from '../../session/SessionProvider.tsx';

interface Operator { id: string; displayName: string }

/** Names for the keys of KPI rows (user ids, department ids, category codes), from the court's directory. */
export function useKeyNames(): (by: Dimension, key: string | null) => string {
  const api = useApi();
  const { t } = useTranslation();
  const { nameOf } = useCategories();
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    const add = (entries: Array<[string, string]>) => setNames((all) => ({ ...all, ...Object.fromEntries(entries) }));
    void api.get<Operator[]>('/api/console/operators').then((list) => add(list.map((o) => [o.id, o.displayName])), () => undefined);
    void api.get<Department[]>('/api/departments').then((list) => add(list.map((d) => [d.id, d.name])), () => undefined);
    void api.get<Judge[]>('/api/judges').then((list) => add(list.map((j) => [j.userId, j.displayName])), () => undefined);
  }, [api]);
  return (by, key) => {
    if (key === null) return t('kpi.none');
    if (by === 'category') return nameOf(key);
    return names[key] ?? key.slice(0, 8);
  };
}
