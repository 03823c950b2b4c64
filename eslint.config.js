// @ts-check
// ESLint flat config (STYLE.md item 15): type-aware typescript-eslint over the server, CLI,
// benchmarks, scripts, tests and the web app. `npm run lint` runs it with --max-warnings 0,
// so every rule here is an error in effect; there is no "warn" tier.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    // Build output, runtime data and test artefacts: generated, never hand-written.
    ignores: ['dist/', 'web/dist/', 'mizan-data/', 'test-results/', '.tmp/', 'data/'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        // Each file is checked against the nearest tsconfig that includes it: tsconfig.json for
        // src/, test/, bench/; web/tsconfig.json for web/src/. The few files outside both
        // (launchers, build scripts, tool configs) get a default project with the root options.
        projectService: {
          allowDefaultProject: ['*.js', '*.ts', 'bin/*.js', 'scripts/geo/*.mjs', 'web/vite.config.ts'],
          defaultProject: 'tsconfig.json',
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      // A leading underscore marks a binding that is deliberately unused: a parameter an
      // interface requires, or a property split off with a rest pattern.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Off: Fastify plugins, hooks and handlers, Kysely's MigrationProvider and fetch stand-ins
      // are async by contract, and making them synchronous changes how the framework calls them.
      // The promise bugs this rule is after are caught by no-floating-promises,
      // no-misused-promises and await-thenable.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Test bodies read JSON responses (`res.json()`, `JSON.parse`) as `any` and assert on them
    // with expect(); the untyped JS launcher and build script have no types to check against.
    // The no-unsafe-* rules stay on for src/, web/src/ and bench/, where an unchecked `any`
    // from outside is a real hole.
    files: ['test/**', 'bin/**', 'scripts/**', '*.js'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['web/src/**'],
    languageOptions: { globals: globals.browser },
  },
  {
    // The service worker is plain JavaScript that Vite copies as it is: no project types to check
    // it against, and it runs with the worker's globals.
    files: ['web/sw/**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    // The build replaces the precache placeholder with the list of built files (web/vite.config.ts).
    languageOptions: { globals: { ...globals.serviceworker, __MIZAN_PRECACHE__: 'readonly' } },
  },
  {
    // The offline queue's transport contract rejects with plain `TransportError` values
    // ({status, code, message}: what the server's error body says), not Error objects; the queue
    // stores them as a report's state. Its tests' fake transports do the same, as object literals.
    files: ['web/src/lib/queue.ts', 'test/web/queue.test.ts'],
    rules: {
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
