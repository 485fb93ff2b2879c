import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1' },
    testTimeout: 60_000,
    // Hooks do real work (a simulated day, chart workers, a browser): a loaded 2-core box needs time.
    hookTimeout: 60_000,
  },
});
