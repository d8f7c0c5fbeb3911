import { Form, Input, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Department, Judge } from '../../api/types.ts';
import type { Lookup } from '../../api/useLookup.ts';
import { useUnreadPicker } from '../../api/useUnreadPicker.ts';

/** Fields sit close together so the desk fits a 1366×768 screen. */
const tight = { marginBottom: 8 };

/**
 * The outcome part of the work-order form: answered on the spot, or handed off to a judge or a department (a picker
 * whose list could not be read says so).
 */
export function OutcomeFields({ judges, departments }: { judges: Lookup<Judge[]>; departments: Lookup<Department[]> }) {
  const { t } = useTranslation();
  const picker = useUnreadPicker();
  const outcome = Form.useWatch('outcome');
  const target = Form.useWatch('target');
  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  return (
    <>
      <Form.Item name="outcome" label={t('ticketForm.outcome')} style={tight}>
        <Radio.Group optionType="button" options={[{ value: 'on_spot', label: t('ticketForm.onSpot') }, { value: 'hand_off', label: t('ticketForm.handOff') }]} />
      </Form.Item>
      {outcome === 'on_spot' && (
        <Form.Item name="answer" label={t('ticketForm.answer')} rules={required} style={tight}>
          <Input.TextArea rows={2} />
        </Form.Item>
      )}
      {outcome === 'hand_off' && (
        <>
          <Form.Item name="target" label={t('ticketForm.handOffTo')} style={tight}>
            <Radio.Group options={[{ value: 'judge', label: t('ticketForm.toJudge') }, { value: 'department', label: t('ticketForm.toDepartment') }]} />
          </Form.Item>
          {target === 'judge' ? (
            <Form.Item name="handlerUserId" label={t('ticketForm.toJudge')} rules={[{ required: true, message: t('common.required') }]} style={tight}>
              <Select
                showSearch
                optionFilterProp="label"
                data-testid="handoff-judge"
                {...picker(judges)}
                options={(judges.data ?? []).map((j) => ({ value: j.userId, label: `${j.displayName}${j.departmentName ? ` · ${j.departmentName}` : ''}` }))}
              />
            </Form.Item>
          ) : (
            <Form.Item name="handlerDepartmentId" label={t('ticketForm.toDepartment')} rules={[{ required: true, message: t('common.required') }]} style={tight}>
              <Select showSearch optionFilterProp="label" {...picker(departments)} options={(departments.data ?? []).filter((d) => d.active).map((d) => ({ value: d.id, label: d.name }))} />
            </Form.Item>
          )}
        </>
      )}
    </>
  );
}
