import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console's build. JSX is compiled by Vite's own esbuild (no React plugin: the console is served
 * built, so it needs no fast refresh). Output goes to agent-ui/dist, which the hotline serves at /.
 */
export default defineConfig({
  root,
  base: '/',
  logLevel: 'warn',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      // antd marks its modules "use client" for React Server Components; meaningless in a plain bundle.
      onwarn: (warning, warn) => (warning.code === 'MODULE_LEVEL_DIRECTIVE' ? undefined : warn(warning)),
      output: {
        // Libraries change rarely: chunks of their own stay cached across console releases. The softphone and
        // the charts load with the pages that use them (lazy routes); React and i18next with every screen. The rest
        // (antd's components) Rollup places beside the pages that use them, so the sign-in screen carries only
        // what it shows (docs/performance.md, "Console size").
        manualChunks: (id) => {
          if (!id.includes('node_modules')) return undefined;
          if (id.includes('jssip') || id.includes('sdp-transform')) return 'softphone';
          if (/node_modules\/(echarts|zrender|echarts-for-react|size-sensor)\//.test(id)) return 'charts';
          if (/node_modules\/(react|react-dom|scheduler|react-router|i18next|react-i18next)\//.test(id)) return 'framework';
          return undefined;
        },
      },
    },
  },
});
