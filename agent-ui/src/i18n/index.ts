import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { featureMessages } from '../features/registry.ts';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

export type Language = 'zh-CN' | 'en';
const storageKey = 'hotline.language';

/** The console's i18next instance: Chinese first, English when the user chose it (remembered in this browser). */
export function createI18n(): i18n {
  for (const namespace of Object.keys(featureMessages('zhCN'))) {
    if (namespace in zhCN) throw new Error(`a console feature's i18n namespace "${namespace}" is already a core key`);
  }
  const saved = localStorage.getItem(storageKey);
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: {
      'zh-CN': { translation: { ...zhCN, ...featureMessages('zhCN') } },
      en: { translation: { ...en, ...featureMessages('en') } },
    },
    lng: saved === 'en' ? 'en' : 'zh-CN',
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  instance.on('languageChanged', (language) => {
    localStorage.setItem(storageKey, language);
    document.documentElement.lang = language;
  });
  document.documentElement.lang = instance.language;
  return instance;
}
