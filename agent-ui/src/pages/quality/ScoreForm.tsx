import { Alert, Button, Checkbox, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import type { FormItem, QualityForm } from './types.ts';

export interface Scores {
  points: Record<string, number>;
  fatalFailed: string[];
}

/** The score a form gives (the server computes the same; shown as the reviewer types). */
export function preview(items: FormItem[], s: Scores): number | 'fatal' | null {
  if (s.fatalFailed.length > 0) return 'fatal';
  const normal = items.filter((i) => !i.fatal);
  if (normal.some((i) => s.points[i.key] === undefined)) return null;
  const total = normal.reduce((sum, i) => sum + i.weight, 0);
  return total ? Math.round((normal.reduce((sum, i) => sum + (s.points[i.key] ?? 0), 0) / total) * 1000) / 10 : 100;
}

/** Points per item and the fatal items failed, for one form: used to score and to revise on appeal. */
export function ItemsInput({ items, value, onChange }: { items: FormItem[]; value: Scores; onChange: (s: Scores) => void }) {
  const { t } = useTranslation();
  const score = preview(items, value);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {items.map((item) =>
        item.fatal ? (
          <Checkbox
            key={item.key}
            checked={value.fatalFailed.includes(item.key)}
            onChange={(e) => onChange({ ...value, fatalFailed: e.target.checked ? [...value.fatalFailed, item.key] : value.fatalFailed.filter((k) => k !== item.key) })}
          >
            <Typography.Text type="danger">
              {t('quality.fatalItem')} · {item.label} · {t('quality.scoreForm.failed')}
            </Typography.Text>
          </Checkbox>
        ) : (
          <Space key={item.key}>
            <Typography.Text style={{ display: 'inline-block', width: 160 }}>{item.label}</Typography.Text>
            <InputNumber
              aria-label={item.label}
              min={0}
              max={item.weight}
              precision={0}
              value={value.points[item.key] ?? null}
              onChange={(n) => {
                const points = { ...value.points };
                if (n === null) delete points[item.key];
                else points[item.key] = n;
                onChange({ ...value, points });
              }}
            />
            <Typography.Text type="secondary">/ {t('quality.scoreForm.points', { n: item.weight })}</Typography.Text>
          </Space>
        ),
      )}
      <Typography.Text strong data-testid="quality-score-preview">
        {score === 'fatal' ? t('quality.scoreForm.fatalTotal') : score === null ? '' : t('quality.scoreForm.total', { score })}
      </Typography.Text>
    </Space>
  );
}

/** A head's or manager's scoring of a sampled call (again, until the operator accepts or appeals). */
export function ScoreForm({ reviewId, current, onDone }: { reviewId: string; current: { formId?: string | undefined; scores: Scores; comment: string }; onDone: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const [forms, setForms] = useState<QualityForm[]>([]);
  const [formId, setFormId] = useState(current.formId);
  const [scores, setScores] = useState<Scores>(current.scores);
  const [comment, setComment] = useState(current.comment);
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    api.get<QualityForm[]>('/api/telephony/quality/forms').then((all) => {
      const usable = all.filter((f) => !f.retiredAt || f.id === current.formId);
      setForms(usable);
      setFormId((id) => id ?? usable[0]?.id);
    }, (err) => setError(errorText(err)));
  }, [api]);
  const form = forms.find((f) => f.id === formId);
  const submit = () => {
    if (!formId) return;
    setSaving(true);
    setError(undefined);
    api.put(`/api/telephony/quality/reviews/${reviewId}/score`, { formId, ...scores, comment }).then(onDone, (err) => setError(errorText(err))).finally(() => setSaving(false));
  };
  return (
    <Form layout="vertical" data-testid="quality-score-form">
      <Form.Item label={t('quality.scoreForm.form')}>
        <Select aria-label={t('quality.scoreForm.form')} placeholder={t('quality.scoreForm.pick')} value={formId} onChange={(id) => { setFormId(id); setScores({ points: {}, fatalFailed: [] }); }} options={forms.map((f) => ({ value: f.id, label: `${f.name} · ${t('quality.version', { n: f.version })}` }))} />
      </Form.Item>
      {form && <ItemsInput items={form.items} value={scores} onChange={setScores} />}
      <Form.Item label={t('quality.scoreForm.comment')} style={{ marginTop: 12 }}>
        <Input.TextArea aria-label={t('quality.scoreForm.comment')} rows={2} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
      </Form.Item>
      {error && <Alert type="error" showIcon title={error} data-testid="quality-score-error" />}
      <Button type="primary" onClick={submit} loading={saving} disabled={!form} data-testid="quality-score-submit">
        {t('quality.scoreForm.submit')}
      </Button>
    </Form>
  );
}
