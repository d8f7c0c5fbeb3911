import { useCallback, useEffect, useState } from 'react';
import type { Department, Judge } from '../../api/types.ts';
import { useApi } from '../../session/SessionProvider.tsx';

/** The court's departments and judges (GET /api/departments, /api/judges), reloaded on demand. */
export function useDirectory() {
  const api = useApi();
  const [departments, setDepartments] = useState<Department[]>([]);
  const [judges, setJudges] = useState<Judge[]>([]);
  const reload = useCallback(async () => {
    const [d, j] = await Promise.all([api.get<Department[]>('/api/departments'), api.get<Judge[]>('/api/judges')]);
    setDepartments(d);
    setJudges(j);
  }, [api]);
  useEffect(() => void reload().catch(() => undefined), [reload]);
  return { departments, judges, reload };
}
