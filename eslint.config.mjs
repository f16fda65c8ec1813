// ESLint (flat config): typescript-eslint's recommended rules over the TypeScript and the build scripts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', 'test/fixtures/**', 'test/e2e/tools/**', 'examples/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_`-prefixed names are deliberately unused (callbacks with a fixed signature)
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  // code that runs in a page: the webview scripts, and the functions the e2e tests evaluate in the workbench
  { files: ['client/src/webview/**/*.ts', 'test/e2e/**/*.mjs'], languageOptions: { globals: { ...globals.browser } } },
  // the package's launchers are plain CommonJS run by Node as they are (not bundled)
  { files: ['bin/**/*.js'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
