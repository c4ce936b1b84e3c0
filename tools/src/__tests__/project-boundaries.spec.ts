import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { repoRoot } from '../repo-root.js';

/**
 * The project-boundaries lint rule (tools/lint/project-boundaries.mjs), run through ESLint's own API on imports a
 * developer might write. The files named below need not exist: ESLint judges the text as if it lived there.
 */

const ROOT = repoRoot();
const RULE = 'local/project-boundaries';

interface BoundariesModule {
  default: NonNullable<Linter.Config['plugins']>[string];
  projectOfPath(path: string): { kind: string; id: string } | null;
  tagOf(project: { kind: string }): string;
}

let boundaries: BoundariesModule;
let eslint: ESLint;

/** What the rule says about `code` placed at `file` (a workspace-relative path): one message per problem. */
async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return result.messages.map((message) => `${message.ruleId ?? 'parser'}: ${message.message}`);
}

beforeAll(async () => {
  boundaries = (await import(pathToFileURL(join(ROOT, 'tools/lint/project-boundaries.mjs')).href)) as BoundariesModule;
  // Only the boundary rule, without type information: the files linted here are not part of the TypeScript project.
  eslint = new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        plugins: { local: boundaries.default },
        rules: { [RULE]: 'error' },
      },
    ],
  });
});

describe('the project-boundaries rule', () => {
  it('is switched on for every TypeScript file by the workspace lint configuration', async () => {
    const workspace = new ESLint({ cwd: ROOT });
    for (const file of ['services/households/src/main.ts', 'gateway/src/main.ts', 'libs/auth/src/index.ts', 'tools/src/start.ts']) {
      const config = await workspace.calculateConfigForFile(join(ROOT, file));
      expect([file, config?.rules?.[RULE]]).toEqual([file, [2]]);
    }
  });

  it('refuses a service importing another service, by entry or by relative path', async () => {
    expect(
      await problems(
        'services/notifications/src/notices/x.ts',
        `import { isMinorOn } from '#services/households/src/registry/registry-enums';`,
      ),
    ).toEqual([
      `${RULE}: services/notifications imports services/households: a service never imports another service (publish or consume an event, or move shared code to libs/).`,
    ]);
    expect(
      await problems(
        'services/notifications/src/notices/__tests__/x.spec.ts',
        `import { isMinorOn } from '../../../../households/src/registry/registry-enums.js';`,
      ),
    ).toHaveLength(1);
  });

  it('refuses a service importing the gateway, and the gateway importing a service', async () => {
    expect(await problems('services/households/src/uploads/x.ts', `import { createGateway } from '#gateway/create-gateway';`)).toEqual([
      `${RULE}: services/households imports the gateway: a service never depends on the gateway in front of it.`,
    ]);
    expect(await problems('gateway/src/x.ts', `const policy = await import('#services/households/src/households.policy');`)).toEqual([
      `${RULE}: The gateway imports services/households: it knows services only through the supergraph.`,
    ]);
  });

  it('refuses a library importing a service, the gateway or tools', async () => {
    expect(
      await problems('libs/auth/src/x.ts', `import { householdsPolicies } from '#services/households/src/households.policy';`),
    ).toEqual([
      `${RULE}: libs/auth imports services/households: a library may import only other libraries, never a service, the gateway or tools.`,
    ]);
    expect(await problems('libs/platform/src/x.ts', `export { readSupergraph } from '#gateway/create-gateway';`)).toEqual([
      `${RULE}: libs/platform imports gateway: a library may import only other libraries, never a service, the gateway or tools.`,
    ]);
    expect(await problems('libs/testing/src/x.ts', `import { startPlatform } from '#tools/test-platform';`)).toEqual([
      `${RULE}: libs/testing imports tools: a library may import only other libraries, never a service, the gateway or tools.`,
    ]);
    // A library's tests are held to the same rule: they run as part of the library.
    expect(
      await problems('libs/retention/src/__tests__/x.e2e-spec.ts', `import type { TestPlatform } from '#tools/test-platform';`),
    ).toHaveLength(1);
  });

  it('refuses a relative path into another project, in tests too, and names the entry to use instead', async () => {
    expect(await problems('services/households/src/x.ts', `import { Role } from '../../../libs/auth/src/roles.js';`)).toEqual([
      `${RULE}: "../../../libs/auth/src/roles.js" reaches into libs/auth by a relative path; import it through its entry #libs/auth.`,
    ]);
    expect(await problems('gateway/src/__tests__/x.spec.ts', `import { repoRoot } from '../../../tools/src/repo-root.js';`)).toEqual([
      `${RULE}: "../../../tools/src/repo-root.js" reaches into tools by a relative path; import it through its entry #tools/<file>.`,
    ]);
    expect(
      await problems('tools/src/x.ts', `import { parseGatewayEnvironment } from '../../gateway/src/gateway-environment.js';`),
    ).toHaveLength(1);
  });

  it('refuses a project importing its own entry, and runtime code of a service importing tools', async () => {
    expect(await problems('libs/auth/src/x.ts', `import { Role } from '#libs/auth';`)).toEqual([
      `${RULE}: "#libs/auth" is this project's own entry; import a file of your own project by a relative path.`,
    ]);
    expect(await problems('services/households/src/x.ts', `import { repoRoot } from '#tools/repo-root';`)).toEqual([
      `${RULE}: services/households imports tools outside its tests: runtime code never depends on the workspace tools.`,
    ]);
  });

  it('accepts the imports the boundaries allow', async () => {
    const allowed: Array<[string, string]> = [
      [
        'services/households/src/x.ts',
        `import { Role } from '#libs/auth';\nimport { y } from './y.js';\nimport { z } from '../registry/z.js';`,
      ],
      [
        'services/households/src/uploads/__tests__/x.e2e-spec.ts',
        `import { startPlatform } from '#tools/test-platform';\nimport { waitFor } from '#libs/testing';`,
      ],
      ['gateway/src/x.ts', `import { Role } from '#libs/auth';\nimport { y } from './y.js';`],
      [
        'gateway/src/__tests__/x.e2e-spec.ts',
        `import { loadAllPolicies } from '#tools/services';\nimport { createGateway } from '../create-gateway.js';`,
      ],
      ['libs/testing/src/x.ts', `import { Role } from '#libs/auth';\nexport * from './wait-for.js';`],
      [
        'tools/src/x.ts',
        `import { p } from '#services/households/src/households.policy';\nimport { g } from '#gateway/create-gateway';\nimport { r } from './repo-root.js';`,
      ],
      ['tools/src/test-platform/x.ts', `import { freePort } from '../free-port.js';\nimport type { Role } from '#libs/auth';`],
    ];
    for (const [file, code] of allowed) expect([file, await problems(file, code)]).toEqual([file, []]);
  });
});

describe('the projects', () => {
  /** Every project.json of the workspace, by directory. */
  function projectDirectories(): string[] {
    const found = ['gateway', 'tools'];
    for (const parent of ['services', 'libs']) {
      for (const name of readdirSync(join(ROOT, parent)))
        if (existsSync(join(ROOT, parent, name, 'project.json'))) found.push(`${parent}/${name}`);
    }
    return found;
  }

  it('carry the type tag the rule reads from their place', () => {
    const projects = projectDirectories();
    expect(projects.length).toBeGreaterThan(20);
    for (const dir of projects) {
      const project = boundaries.projectOfPath(`${dir}/src/index.ts`);
      const { tags, projectType } = JSON.parse(readFileSync(join(ROOT, dir, 'project.json'), 'utf8')) as {
        tags: string[];
        projectType: string;
      };
      expect([dir, tags]).toEqual([dir, [boundaries.tagOf(project!)]]);
      expect([dir, projectType]).toEqual([dir, project!.kind === 'lib' ? 'library' : 'application']);
    }
  });
});
