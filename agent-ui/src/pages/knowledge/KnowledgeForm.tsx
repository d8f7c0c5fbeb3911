import { Form, Input, Modal, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Category, KnowledgeEntry } from '../../api/types.ts';

export interface KnowledgeValues {
  category: string;
  question: string;
  answer: string;
  keywords: string[];
  source?: string | null;
  active: boolean;
}

/** Create or edit a knowledge-base entry: category, question, the answer to give, keywords, source. */
export function KnowledgeForm({ entry, categories, busy, onSubmit, onCancel }: { entry?: KnowledgeEntry; categories: Category[]; busy: boolean; onSubmit: (values: KnowledgeValues) => void; onCancel: () => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<KnowledgeValues>();
  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  return (
    <Modal open title={entry ? t('knowledge.editEntry') : t('knowledge.newEntry')} okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={busy} onOk={() => form.submit()} onCancel={onCancel} destroyOnHidden width={640}>
      <Form<KnowledgeValues>
        form={form}
        name="knowledge-form"
        layout="vertical"
        initialValues={entry ?? { category: 'enquiry', keywords: [], active: true }}
        onFinish={onSubmit}
        onKeyDown={(e) => e.ctrlKey && e.key === 'Enter' && form.submit()}
      >
        <Form.Item name="category" label={t('knowledge.category')} rules={[{ required: true, message: t('common.required') }]}>
          <Select showSearch optionFilterProp="label" options={categories.map((c) => ({ value: c.code, label: i18n.language === 'en' ? c.nameEn : c.nameZh }))} />
        </Form.Item>
        <Form.Item name="question" label={t('knowledge.question')} rules={[...required, { max: 300 }]}>
          <Input autoFocus />
        </Form.Item>
        <Form.Item name="answer" label={t('knowledge.answer')} rules={[...required, { max: 5000 }]}>
          <Input.TextArea rows={5} />
        </Form.Item>
        <Form.Item name="keywords" label={t('knowledge.keywords')} extra={t('knowledge.keywordsHint')}>
          <Select mode="tags" tokenSeparators={[',', '，', ' ']} open={false} suffixIcon={null} />
        </Form.Item>
        <Form.Item name="source" label={t('knowledge.source')}>
          <Input />
        </Form.Item>
        <Form.Item name="active" label={t('knowledge.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
