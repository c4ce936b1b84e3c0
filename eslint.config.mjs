// Lint: typescript-eslint's type-checked rules, which catch real bugs (floating and misused promises, unsafe `any`,
// conditions that are always true or false), eslint-config-prettier, which leaves layout to Prettier, and our own
// project-boundaries rule (which project may import which; see tools/lint/project-boundaries.mjs).
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import projectBoundaries from './tools/lint/project-boundaries.mjs';

export default tseslint.config(
  // examples/ is a front end's code, type-checked (strict) against its generated documents by libs/tools' codegen spec.
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.cjs', '**/*.mjs', 'examples/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { project: './tsconfig.base.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unnecessary-condition': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The console is browser code with its own TypeScript configuration (DOM, JSX, bundler resolution).
    files: ['console/**/*.ts', 'console/**/*.tsx'],
    languageOptions: { parserOptions: { project: './console/tsconfig.json', tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['**/*.ts'],
    plugins: { local: projectBoundaries },
    rules: { 'local/project-boundaries': 'error' },
  },
  {
    // Tests read GraphQL and HTTP answers as untyped JSON and assert on them with expect: a type cast there would be
    // a hand-written claim, not a check, so the any-tracking rules are off in tests. The promise rules stay on.
    files: ['**/__tests__/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The helpers those tests call (the GraphQL client, the test platform) hand the same untyped answers on, as
    // `Record<string, any>` by default; their own code is held to the unsafe-any rules.
    files: ['libs/testing/src/**', 'tools/src/test-platform/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  prettier,
);
