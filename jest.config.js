/** TypeScript unit tests (jsdom), as the JupyterLab extension template sets them up. */
module.exports = {
  testEnvironment: 'jsdom',
  testEnvironmentOptions: { pretendToBeVisual: true },
  roots: ['<rootDir>/js'],
  testMatch: ['**/__tests__/**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: { module: 'commonjs', target: 'ES2022', esModuleInterop: true, strict: true, types: ['jest', 'node'] }, diagnostics: { warnOnly: false } }]
  },
  setupFiles: ['<rootDir>/js/__tests__/setup.ts']
};
