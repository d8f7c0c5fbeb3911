import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';

/** Turns a thrown error into the message to show: the API's own message in the console's language. */
export function useErrorText(): (error: unknown) => string {
  const { t, i18n } = useTranslation();
  return (error) => (error instanceof ApiError ? error.text(i18n.language) : t('errors.generic'));
}
