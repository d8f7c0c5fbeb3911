import { useCallback } from 'react';
import type { Department, Judge } from '../../api/types.ts';
import { useLookup } from '../../api/useLookup.ts';

/**
 * The court's departments and judges (GET /api/departments, /api/judges), reloaded on demand; `lookups` tells a
 * picker when one could not be read (useUnreadPicker).
 */
export function useDirectory() {
  const departments = useLookup<Department[]>('/api/departments', 'departments');
  const judges = useLookup<Judge[]>('/api/judges', 'judges');
  const { reload: reloadDepartments } = departments;
  const { reload: reloadJudges } = judges;
  const reload = useCallback(async () => void (await Promise.all([reloadDepartments(), reloadJudges()])), [reloadDepartments, reloadJudges]);
  return { departments: departments.data ?? [], judges: judges.data ?? [], reload, lookups: { departments, judges } };
}
