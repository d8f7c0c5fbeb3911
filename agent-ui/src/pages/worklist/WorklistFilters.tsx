import { Button, DatePicker, Input, Segmented, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { stages } from '../../../../tickets/vocabulary.ts';
import type { Department, Judge, UserRole } from '../../api/types.ts';
import { useCategories } from '../../api/useCategories.ts';
import { useLookup } from '../../api/useLookup.ts';
import { useUnreadPicker } from '../../api/useUnreadPicker.ts';
import type { FilterKey } from './types.ts';

interface Props {
  role: UserRole;
  departmentId: string | null;
  params: URLSearchParams;
  /** Sets (or, with '', clears) filters; any change goes back to page 1. */
  set: (changes: Partial<Record<FilterKey, string>>) => void;
  reset: () => void;
}

/** The work list's filters: the common ones on one line, the rest behind "more filters" (so the rows stay on screen at 1366×768). */
export function WorklistFilters({ role, departmentId, params, set, reset }: Props) {
  const { t } = useTranslation();
  const { categories, nameOf } = useCategories();
  const [more, setMore] = useState(['ownerId', 'callerNumber', 'caseNumber', 'createdFrom', 'createdTo'].some((k) => params.get(k)));
  const [text, setText] = useState(params.get('q') ?? '');
  const [caller, setCaller] = useState(params.get('callerNumber') ?? '');
  const [caseNumber, setCaseNumber] = useState(params.get('caseNumber') ?? '');
  const isHead = role === 'department_head';
  const seesOperators = role === 'manager' || role === 'admin';
  const departments = useLookup<Department[]>('/api/departments', 'departments');
  const judges = useLookup<Judge[]>(isHead && departmentId ? `/api/judges?departmentId=${departmentId}` : '/api/judges', 'judges');
  const operators = useLookup<{ id: string; displayName: string }[]>(seesOperators ? '/api/console/operators' : undefined, 'operators');
  const picker = useUnreadPicker();

  // The typed boxes follow the address (a reset, the browser's back button).
  useEffect(() => {
    setText(params.get('q') ?? '');
    setCaller(params.get('callerNumber') ?? '');
    setCaseNumber(params.get('caseNumber') ?? '');
  }, [params]);

  const value = (key: FilterKey) => params.get(key) ?? undefined;
  const created = [params.get('createdFrom'), params.get('createdTo')];
  return (
    <Space direction="vertical" size={8} style={{ width: '100%', marginBottom: 8 }}>
      <Space wrap size={8}>
        {role === 'operator' && (
          <Segmented
            aria-label="scope"
            value={params.get('scope') ?? 'mine'}
            onChange={(scope) => set({ scope: String(scope) })}
            options={[
              { value: 'mine', label: t('worklist.scope.mine') },
              { value: 'all', label: t('worklist.scopeCourt') },
            ]}
          />
        )}
        <Input.Search
          aria-label={t('worklist.search')}
          placeholder={t('worklist.search')}
          allowClear
          style={{ width: 220 }}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(q) => set({ q: q.trim() })}
        />
        <Select
          aria-label={t('worklist.stage')}
          mode="multiple"
          allowClear
          maxTagCount="responsive"
          placeholder={t('worklist.stage')}
          style={{ width: 190 }}
          value={value('stage')?.split(',') ?? []}
          onChange={(list: string[]) => set({ stage: list.join(',') })}
          options={stages.map((s) => ({ value: s, label: t(`stages.${s}`) }))}
        />
        <Select
          aria-label={t('worklist.due')}
          allowClear
          placeholder={t('worklist.due')}
          style={{ width: 160 }}
          value={value('due')}
          onChange={(due?: string) => set({ due: due ?? '' })}
          options={(['overdue', 'due_soon'] as const).map((d) => ({ value: d, label: t(`worklist.dueOptions.${d}`) }))}
        />
        <Select
          aria-label={t('worklist.category')}
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('worklist.category')}
          style={{ width: 140 }}
          value={value('category')}
          onChange={(category?: string) => set({ category: category ?? '' })}
          options={categories.map((c) => ({ value: c.code, label: nameOf(c.code) }))}
        />
        {!isHead && (
          <Select
            aria-label={t('worklist.department')}
            allowClear
            {...picker(departments, t('worklist.department'))}
            style={{ width: 140 }}
            value={value('departmentId')}
            onChange={(id?: string) => set({ departmentId: id ?? '' })}
            options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
          />
        )}
        <Select
          aria-label={t('worklist.handler')}
          allowClear
          showSearch
          optionFilterProp="label"
          {...picker(judges, t('worklist.handler'))}
          style={{ width: 140 }}
          value={value('handlerUserId')}
          onChange={(id?: string) => set({ handlerUserId: id ?? '' })}
          options={(judges.data ?? []).map((j) => ({ value: j.userId, label: j.departmentName && !isHead ? `${j.displayName}（${j.departmentName}）` : j.displayName }))}
        />
        <Button type="link" onClick={() => setMore(!more)}>{more ? t('worklist.less') : t('worklist.more')}</Button>
        <Button onClick={reset}>{t('worklist.reset')}</Button>
      </Space>
      {more && (
        <Space wrap size={8}>
          {seesOperators && (
            <Select
              aria-label={t('worklist.owner')}
              allowClear
              showSearch
              optionFilterProp="label"
              {...picker(operators, t('worklist.owner'))}
              style={{ width: 150 }}
              value={value('ownerId')}
              onChange={(id?: string) => set({ ownerId: id ?? '' })}
              options={(operators.data ?? []).map((o) => ({ value: o.id, label: o.displayName }))}
            />
          )}
          <Input.Search aria-label={t('worklist.callerNumber')} placeholder={t('worklist.callerNumber')} allowClear style={{ width: 180 }} value={caller} onChange={(e) => setCaller(e.target.value)} onSearch={(v) => set({ callerNumber: v.trim() })} />
          <Input.Search aria-label={t('worklist.caseNumber')} placeholder={t('worklist.caseNumber')} allowClear style={{ width: 220 }} value={caseNumber} onChange={(e) => setCaseNumber(e.target.value)} onSearch={(v) => set({ caseNumber: v.trim() })} />
          <DatePicker.RangePicker
            aria-label={t('worklist.created')}
            placeholder={[t('worklist.created'), t('worklist.created')]}
            value={created[0] && created[1] ? [dayjs(created[0]), dayjs(created[1])] : null}
            onChange={(range) => set({ createdFrom: range?.[0]?.format('YYYY-MM-DD') ?? '', createdTo: range?.[1]?.format('YYYY-MM-DD') ?? '' })}
          />
        </Space>
      )}
    </Space>
  );
}
