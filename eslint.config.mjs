// Lint rules. The one that matters most: src/core never imports `vscode` (it runs in plain Node).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'out/**', 'node_modules/**', '**/*.js', '**/*.mjs', '**/*.cjs', '.vscode-test.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core and the terminal command (src/cli) run without VS Code: keep vscode out of them.' }] }],
    },
  },
  {
    files: ['webview-ui/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Shared and webview code cannot use the vscode API.' }], patterns: ['node:*'] }],
    },
  },
);
