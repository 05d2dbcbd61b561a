import { defineConfig } from 'tsup';

const shared = {
  entry: { index: 'src/index.ts', 'provider/index': 'src/provider/index.ts' },
  dts: true,
  sourcemap: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
} as const;

export default defineConfig([
  { ...shared, format: ['esm'], clean: true },
  {
    ...shared,
    format: ['cjs'],
    // jose and oidc-provider (with koa and the rest of its tree) are ESM-only: the CommonJS build
    // bundles them so CommonJS users never depend on require(esm).
    noExternal: [/^(?!@ocx\/|zod$|undici$).+/],
    platform: 'node',
  },
]);
