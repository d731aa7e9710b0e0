// Lint for the TypeScript plugin, the browser tests and the benchmark page. Besides
// the usual rules it bans every way data could become markup or code.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noMarkup = [
  {
    selector: 'MemberExpression[property.name=/^(innerHTML|outerHTML)$/]',
    message: 'Data reaches the DOM only as text: use textContent.'
  },
  {
    selector: "CallExpression[callee.property.name='insertAdjacentHTML']",
    message: 'Data reaches the DOM only as text.'
  },
  {
    selector: "CallExpression[callee.object.name='document'][callee.property.name=/^write(ln)?$/]",
    message: 'Data reaches the DOM only as text.'
  },
  { selector: "CallExpression[callee.name='eval']", message: 'Never eval.' },
  { selector: "NewExpression[callee.name='Function']", message: 'Never new Function.' }
];

export default tseslint.config(
  {
    ignores: ['lib/', 'js/pkg/', 'js/pkg-js/', 'node_modules/', 'python/', 'target/', '**/test-results/', 'bench/results/', 'bench/data/', 'bench/page/serde-peer/', 'bench/.venv-msticpy/', '.venv/', 'tests/browser/lite-site/']
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      curly: ['error', 'all'],
      eqeqeq: 'error',
      'no-restricted-syntax': ['error', ...noMarkup],
      '@typescript-eslint/naming-convention': [
        'error',
        { selector: 'interface', format: ['PascalCase'], custom: { regex: '^I[A-Z]', match: true } }
      ]
    }
  },
  {
    files: ['js/__tests__/**', 'tests/browser/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' }
  }
);
