import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'http/index': 'src/http/index.ts',
    'testing/index': 'src/testing/index.ts',
    'simulation/index': 'src/simulation/index.ts',
    'driver-kit/index': 'src/driver-kit/index.ts',
    'prometheus/index': 'src/prometheus/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
  // p-retry is ESM-only: bundle it so the CommonJS build never needs require(esm).
  noExternal: ['p-retry', 'is-network-error'],
  external: ['vitest', '@opentelemetry/api', 'prom-client'],
  // import.meta.url in the CommonJS build (the optional @opentelemetry/api is found from it).
  shims: true,
});
