import { defineConfig } from 'vitest/config';

/**
 * Workspace packages list `"@ocx/source": "./src/….ts"` first in each export, so with this condition
 * a test importing `@ocx/core` (from any package) runs against the TypeScript sources, no build needed.
 * Setting `conditions` replaces Vite's defaults, so they are repeated here
 * (Vite 7: `module`, `node`, `development|production`; `import`/`require`/`default` always apply).
 */
const conditions = ['@ocx/source', 'module', 'node', 'development|production'];
/**
 * Tests run server-side, where Node loads the dependencies Vite resolves: a `module` export is a
 * bundler build (e.g. @opentelemetry/api's, with extension-less imports) that Node cannot load.
 */
const serverConditions = conditions.filter((condition) => condition !== 'module');

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions: serverConditions, externalConditions: serverConditions } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'examples/*/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**', '**/.tools/**'],
    environment: 'node',
    // Child processes, not worker threads: drivers open sockets and servers, and a crash stays contained.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    restoreMocks: true,
    unstubEnvs: true,
    unstubGlobals: true,
  },
});
