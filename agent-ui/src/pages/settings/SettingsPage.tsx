import { Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { BusinessHoursTab } from './BusinessHoursTab.tsx';
import { CalendarTab } from './CalendarTab.tsx';
import { CaseListTab } from './CaseListTab.tsx';
import { CategoriesTab } from './CategoriesTab.tsx';
import { HotlineNumbersTab } from './HotlineNumbersTab.tsx';
import { KpiSettingsTab } from './KpiSettingsTab.tsx';
import { OperatorSkillsTab } from './OperatorSkillsTab.tsx';

const tabs = { calendar: CalendarTab, hours: BusinessHoursTab, categories: CategoriesTab, kpi: KpiSettingsTab, skills: OperatorSkillsTab, numbers: HotlineNumbersTab, cases: CaseListTab } as const;
type TabKey = keyof typeof tabs;
const isTab = (key: string | null): key is TabKey => key !== null && key in tabs;

/** The court admin's settings, one tab each; the tab is in the address (?tab=…) so a reload or a link keeps it. */
export default function SettingsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab');
  const active: TabKey = isTab(tab) ? tab : 'calendar';
  return (
    <div data-testid="settings-page">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('settings.title')}
      </Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(key) => setParams({ tab: key })}
        destroyOnHidden
        items={(Object.keys(tabs) as TabKey[]).map((key) => {
          const Tab = tabs[key];
          return { key, label: t(`settings.tabs.${key}`), children: <Tab /> };
        })}
      />
    </div>
  );
}
