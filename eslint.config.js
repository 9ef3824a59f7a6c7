import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'models/**',
      'public/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': ['error', { allow: ['warn', 'error', 'info'] }],
    },
  },
  {
    // Compute is DOM-free and runs in workers: the page's globals and the page build stay out of it.
    files: ['src/pipeline/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'Worker'].map((name) => ({
          name,
          message: `src/pipeline/ is DOM-free and runs in workers; ${name} belongs to page-side code (src/app/, src/view/).`,
        })),
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.type='MetaProperty'][property.name='env']",
          message:
            'src/pipeline/ does not read the page build (import.meta.env): take the value as an option.',
        },
      ],
    },
  },
  {
    files: ['scripts/**', 'e2e/**', 'e2e-load/**'],
    rules: { 'no-console': 'off' },
  },
);
