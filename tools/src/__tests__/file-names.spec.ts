import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot } from '../repo-root.js';

/**
 * Files are named by their role, one convention per role, so a newcomer finds the resolver, the SQL or the jobs of a
 * feature without searching: `<feature>.<role>.ts` for Nest and GraphQL roles, and kebab-case for everything else
 * (`<feature>-enums.ts`, `<feature>-sql.ts`, plain helpers). No `dto/` folders: inputs sit beside their resolver.
 */
const ROLES = [
  'service',
  'resolver',
  'module',
  'model',
  'models',
  'input',
  'inputs',
  'args',
  'entity',
  'handler',
  'job',
  'jobs',
  'controller',
  'dispatcher',
  'filter',
  'loader',
  'loaders',
  'policy',
  'seed',
  'service-definition',
];
const NAME = new RegExp(`^[a-z0-9]+(-[a-z0-9]+)*(\\.(${ROLES.join('|')}))?\\.ts$`);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return ['__tests__', 'migrations'].includes(entry.name) ? [] : sourceFiles(join(dir, entry.name));
    return entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [];
  });
}

describe('file names in the services', () => {
  const root = repoRoot();
  const files = readdirSync(join(root, 'services')).flatMap((service) => sourceFiles(join(root, 'services', service, 'src')));

  it('follow one convention per role', () => {
    expect(files.length).toBeGreaterThan(100);
    const misnamed = files.map((file) => relative(root, file)).filter((file) => !NAME.test(file.split('/').at(-1)!));
    expect(misnamed).toEqual([]);
  });

  it('keep inputs beside their resolver, not in dto/ folders', () => {
    expect(files.map((file) => relative(root, file)).filter((file) => file.includes('/dto/'))).toEqual([]);
  });
});
