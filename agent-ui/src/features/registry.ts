import type { Feature, FeaturePage } from './feature.ts';

// Every `src/pages/<name>/feature.ts`, found at build time (Vite), in path order.
const modules = import.meta.glob<Feature>('../pages/*/feature.ts', { eager: true, import: 'feature' });

export const features: Feature[] = Object.keys(modules)
  .sort()
  .map((key) => modules[key]!);

export const featurePages: FeaturePage[] = features.flatMap((feature) => feature.pages);

/** The features' texts by language, each under its namespace, for merging into the console's dictionary. */
export function featureMessages(language: 'zhCN' | 'en'): Record<string, object> {
  const namespaces = new Set<string>();
  const table: Record<string, object> = {};
  for (const feature of features) {
    // Two features on one namespace would silently overwrite each other's texts.
    if (namespaces.has(feature.namespace)) throw new Error(`two console features use the i18n namespace "${feature.namespace}"`);
    namespaces.add(feature.namespace);
    table[feature.namespace] = feature.messages[language];
  }
  return table;
}
