import { useTranslation } from 'react-i18next';

/** The prompt's name in the console's language (digits share one label). */
export function usePromptLabel(): (name: string) => string {
  const { t } = useTranslation();
  return (name) => {
    const digit = /^digit-(\d)$/.exec(name);
    return digit ? t('voicePrompts.names.digit', { n: digit[1] }) : t(`voicePrompts.names.${name}`, { defaultValue: name });
  };
}
