import { existsSync, readFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';
import { parse } from 'yaml';
import { PUBLISHED_SECRETS } from '#libs/config';
import { COMPOSE_ENV_FILE, generateComposeSecrets, writeComposeEnvFile } from '../compose-env.js';
import { repoRoot } from '../repo-root.js';

interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string; dockerfile_inline?: string; target?: string };
  volumes?: string[];
  ports?: string[];
  command?: string[];
  environment?: Record<string, string>;
}

const text = (name: string) => readFileSync(join(repoRoot(), name), 'utf8');
const services = (name: string) => (parse(text(name), { merge: true }) as { services: Record<string, ComposeService> }).services;
/** Every `${NAME:?message}` in the file: a variable compose refuses to start without. */
const required = (source: string) => new Set([...source.matchAll(/\$\{(\w+):\?([^}]*)\}/g)].map((match) => match[1]));

/** What each platform process runs: the script of `dist/`, Node's flags coming from the image's NODE_OPTIONS. */
const COMMANDS: Record<string, string[]> = {
  setup: ['node', 'dist/tools/src/setup-cli.js'],
  organization: ['node', 'dist/services/organization/src/main.js'],
  households: ['node', 'dist/services/households/src/main.js'],
  enforcement: ['node', 'dist/services/enforcement/src/main.js'],
  notifications: ['node', 'dist/services/notifications/src/main.js'],
  gateway: ['node', 'dist/gateway/src/main.js'],
};

/**
 * The packages a script loads, following the sources it imports (statically or with `import()`) inside the
 * repository; type-only imports load nothing at run time and are left out.
 */
function packagesLoadedBy(script: string): Map<string, string> {
  const root = repoRoot();
  const manifest = JSON.parse(text('package.json')) as { imports: Record<string, { types: string }> };
  const resolveSource = (specifier: string, from: string): string | undefined => {
    let base: string | undefined;
    if (specifier.startsWith('.')) base = resolve(dirname(from), specifier).replace(/\.js$/, '');
    for (const [pattern, target] of Object.entries(manifest.imports)) {
      const prefix = pattern.replace(/\*$/, '');
      if (specifier.startsWith(prefix)) base = join(root, target.types.replace('*', specifier.slice(prefix.length)));
    }
    if (base === undefined) return undefined;
    const file = [base, `${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
    if (!file) throw new Error(`${specifier} (imported by ${from}) has no source`);
    return file;
  };
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const specifiers: string[] = [];
    const walk = (node: ts.Node) => {
      if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) {
        specifiers.push(node.moduleSpecifier.text);
      } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        specifiers.push(node.moduleSpecifier.text);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const argument = node.arguments.at(0);
        if (argument && ts.isStringLiteralLike(argument)) specifiers.push(argument.text);
      }
      ts.forEachChild(node, walk);
    };
    walk(ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest));
    for (const specifier of specifiers) {
      const source = resolveSource(specifier, file);
      if (source) visit(source);
      else if (!specifier.startsWith('node:')) {
        const name = specifier
          .split('/')
          .slice(0, specifier.startsWith('@') ? 2 : 1)
          .join('/');
        if (!packages.has(name)) packages.set(name, file.slice(root.length + 1));
      }
    }
  };
  visit(join(root, script));
  return packages;
}

describe('docker-compose.yml', () => {
  const stack = services('docker-compose.yml');

  it('runs every platform process from the production image of ./Dockerfile, with no inline Dockerfile', () => {
    const dockerfile = text('Dockerfile');
    const platform = Object.keys(stack).filter((name) => !['postgres', 'redis'].includes(name));
    expect(platform.sort()).toEqual(Object.keys(COMMANDS).sort());
    for (const name of platform) {
      const { build, image } = stack[name];
      expect([name, build]).toEqual([name, { context: '.', dockerfile: 'Dockerfile', target: 'runtime' }]);
      expect([name, image]).toEqual([name, 'waste-platform:local']);
    }
    expect(text('docker-compose.yml')).not.toContain('dockerfile_inline');
    // The target is the Dockerfile's last stage: the one `docker build .` makes too.
    expect([...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].at(-1)?.[1]).toBe('runtime');
  });

  it('starts each process with its own script, one whose source exists', () => {
    for (const [name, command] of Object.entries(COMMANDS)) {
      expect([name, stack[name].command]).toEqual([name, command]);
      const script = command[1].replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect([name, existsSync(join(repoRoot(), script))]).toEqual([name, true]);
    }
  });

  it('starts processes that load production dependencies only: the image has no others', () => {
    const manifest = JSON.parse(text('package.json')) as { dependencies: Record<string, string> };
    for (const [name, command] of Object.entries(COMMANDS)) {
      const script = command[1].replace(/^dist\//, '').replace(/\.js$/, '.ts');
      const packages = packagesLoadedBy(script);
      // Every process loads NestJS through its service's or the gateway's code: the walk did follow the imports.
      expect([name, packages.has('@nestjs/core')]).toEqual([name, true]);
      const missing = [...packages].filter(([dependency]) => !Object.hasOwn(manifest.dependencies, dependency));
      expect([name, missing]).toEqual([name, []]);
    }
  });

  it('runs the local demo: development unless the shell says otherwise, and setup seeds the demo district', () => {
    for (const name of Object.keys(COMMANDS)) {
      expect([name, stack[name].environment!.NODE_ENV]).toEqual([name, '${NODE_ENV:-development}']);
    }
    expect(stack.setup.environment!.SEED_DEMO_DATA).toBe('${SEED_DEMO_DATA:-true}');
    // The seed runs without the 384 MB heap cap the image gives the long-running processes, as under `npm start`.
    expect(stack.setup.environment!.NODE_OPTIONS).not.toMatch(/max-old-space-size/);
  });

  it("stores households' photos in a volume at a directory the image's unprivileged user owns", () => {
    const uploadDir = stack.households.environment!.UPLOAD_DIR;
    expect(stack.households.volumes).toEqual([`uploads:${uploadDir}`]);
    expect(text('Dockerfile')).toMatch(new RegExp(`mkdir -p ${uploadDir} && chown node:node ${uploadDir}`));
    expect(text('Dockerfile')).toMatch(/^USER node$/m);
  });

  it('publishes the gateway only: no PostgreSQL, Redis or service port', () => {
    const published = Object.entries(stack)
      .filter(([, service]) => service.ports)
      .map(([name, service]) => [name, service.ports]);
    expect(published).toEqual([['gateway', ['4000:4000']]]);
  });

  it('takes every secret and password from the env file, with no default, telling how to create the file', () => {
    const source = text('docker-compose.yml');
    // No `${NAME:-default}` for anything secret, and no literal secret, password or published value.
    expect(source).not.toMatch(/\$\{\w*(SECRET|KEY|PASSWORD)\w*:?-[^}]/);
    for (const value of [...PUBLISHED_SECRETS, 'postgres:postgres@']) expect(source).not.toContain(value);
    for (const match of source.matchAll(/\$\{\w+:\?([^}]*)\}/g)) {
      expect(match[1]).toBe(`npm run secrets -- --compose, then docker compose --env-file ${COMPOSE_ENV_FILE} up`);
    }
    // Exactly what `npm run secrets -- --compose` writes.
    expect([...required(source)].sort()).toEqual(Object.keys(generateComposeSecrets()).sort());
    for (const [name, service] of Object.entries(stack)) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        // Passed through from the env file: required, or (an optional one like CREDIT_EXPORT_SECRET) unset when not given.
        if (/SECRET|_KEY$|PASSWORD/.test(variable))
          expect([name, value]).toEqual([name, expect.stringMatching(new RegExp(`^\\$\\{${variable}(:\\?[^}]*|:-)\\}$`))]);
      }
    }
  });

  it('protects PostgreSQL and Redis with passwords the services are given in their URLs', () => {
    expect(stack.postgres.environment!.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    const redisArgs = stack.redis.command!;
    expect(redisArgs[redisArgs.indexOf('--requirepass') + 1]).toMatch(/^\$\{REDIS_PASSWORD:\?/);
    expect(stack.redis.environment!.REDISCLI_AUTH).toMatch(/^\$\{REDIS_PASSWORD:\?/);
    for (const name of ['setup', 'organization', 'households', 'enforcement', 'notifications']) {
      expect(stack[name].environment!.DATABASE_URL).toMatch(
        /^postgres:\/\/postgres:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432\/postgres$/,
      );
      expect(stack[name].environment!.REDIS_URL).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD:\?[^}]*\}@redis:6379$/);
      expect(stack[name].environment!.CONTEXT_SIGNING_SECRET).toMatch(/^\$\{CONTEXT_SIGNING_SECRET:\?/);
    }
    expect(stack.gateway.environment!.REDIS_URL).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD:\?/);
  });

  it("gives the signing key to the gateway only and the verifying key to the subgraphs; the services' shared secret stays theirs", () => {
    expect(stack.gateway.environment!.GATEWAY_SIGNING_KEY).toBeDefined();
    expect(stack.gateway.environment!.CONTEXT_SIGNING_SECRET).toBeUndefined();
    for (const name of ['organization', 'households', 'enforcement', 'notifications']) {
      expect(stack[name].environment!.GATEWAY_SIGNING_KEY).toBeUndefined();
      expect(stack[name].environment!.GATEWAY_VERIFY_KEY).toBeDefined();
    }
  });
});

describe('docker-compose.dev.yml (PostgreSQL and Redis for npm start)', () => {
  it('publishes on 127.0.0.1 only, at the addresses npm start uses by default', () => {
    const dev = services('docker-compose.dev.yml');
    expect(Object.fromEntries(Object.entries(dev).map(([name, service]) => [name, service.ports]))).toEqual({
      postgres: ['127.0.0.1:5432:5432'],
      redis: ['127.0.0.1:6379:6379'],
    });
  });
});

describe('npm run secrets -- --compose', () => {
  it('writes random values, readable by the owner only, and never replaces an existing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'waste-compose-env-'));
    try {
      const file = join(dir, COMPOSE_ENV_FILE);
      writeComposeEnvFile(file);
      const first = readFileSync(file, 'utf8');
      const values = parseEnv(first) as Record<string, string>;
      expect(Object.keys(values).sort()).toEqual(Object.keys(generateComposeSecrets()).sort());
      for (const value of Object.values(values)) {
        expect(value).toMatch(/^[A-Za-z0-9+/=]{32,}$/); // hex or base64: safe in URLs' password part and in compose files
        expect(PUBLISHED_SECRETS).not.toContain(value);
      }
      expect(values.POSTGRES_PASSWORD).toMatch(/^[0-9a-f]+$/);
      expect(values.REDIS_PASSWORD).toMatch(/^[0-9a-f]+$/);
      expect(statSync(file).mode & 0o077).toBe(0);
      expect(() => writeComposeEnvFile(file)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
      expect(readFileSync(file, 'utf8')).toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
