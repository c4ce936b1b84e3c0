// Project boundaries, the rule Nx's enforce-module-boundaries would apply, read from where files live:
//   services/<name>/…  a service (tag type:service)      gateway/…  the gateway (tag type:gateway)
//   libs/<name>/…      a library (tag type:lib)          tools/…    the workspace's applications (tag type:app)
// The tags in each project.json say the same; tools/src/__tests__/project-boundaries.spec.ts checks that they agree.
//
// What may import what:
//   - a service imports libraries, never another service or the gateway (services talk through events, and the
//     gateway composes their graphs);
//   - the gateway imports libraries, never a service (it knows the services only through the supergraph);
//   - a library imports libraries only, never a service, the gateway or tools (a library runs inside all of them);
//   - tools (start, seed, migrate, compose, benchmarks, the test platform) wire everything together and may import
//     any project; a service's or the gateway's tests may use them, their runtime code may not;
//   - another project is reached through its entry (#libs/<name>, #tools/<file>, #gateway/<file>,
//     #services/<name>/…), never by a relative path into its source; a project's own files are reached relatively.
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workspace root: this file is tools/lint/project-boundaries.mjs. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const KIND_TAG = { service: 'type:service', gateway: 'type:gateway', lib: 'type:lib', app: 'type:app' };

/** The project a workspace-relative path ("services/households/src/x.ts") belongs to, or null outside projects. */
export function projectOfPath(path) {
  const [top, name, ...rest] = path.split(/[\\/]/);
  if (top === 'services' && name && rest.length > 0) return { kind: 'service', id: `services/${name}`, entry: `#services/${name}/…` };
  if (top === 'libs' && name && rest.length > 0) return { kind: 'lib', id: `libs/${name}`, entry: `#libs/${name}` };
  if (top === 'gateway' && name) return { kind: 'gateway', id: 'gateway', entry: '#gateway/<file>' };
  if (top === 'tools' && name) return { kind: 'app', id: 'tools', entry: '#tools/<file>' };
  return null;
}

/** The project a subpath import names ("#libs/auth", "#tools/test-platform"), or null for anything else. */
export function projectOfEntry(specifier) {
  const [top, name] = specifier.split('/');
  if (top === '#libs' && name) return projectOfPath(`libs/${name}/src`);
  if (top === '#services' && name) return projectOfPath(`services/${name}/src`);
  if (top === '#gateway' && name) return projectOfPath('gateway/src');
  if (top === '#tools' && name) return projectOfPath('tools/src');
  return null;
}

/** The Nx tag a project of this kind carries in its project.json. */
export function tagOf(project) {
  return KIND_TAG[project.kind];
}

/** A path relative to the workspace root, with forward slashes. */
const fromRoot = (path) => relative(ROOT, path).split(sep).join('/');

const isTest = (path) => path.split(/[\\/]/).includes('__tests__');

/** Why `from` (a workspace-relative file path) may not depend on project `to`, or null when it may. */
export function forbiddenDependency(from, to) {
  const source = projectOfPath(from);
  if (!source || source.id === to.id) return null;
  if (source.kind === 'service' && to.kind === 'service') return 'serviceImportsService';
  if (source.kind === 'service' && to.kind === 'gateway') return 'serviceImportsGateway';
  if (source.kind === 'gateway' && to.kind === 'service') return 'gatewayImportsService';
  if (source.kind === 'lib' && to.kind !== 'lib') return 'libraryImportsApplication';
  if ((source.kind === 'service' || source.kind === 'gateway') && to.kind === 'app' && !isTest(from)) return 'runtimeImportsTools';
  return null;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep services, the gateway, libraries and tools within their boundaries' },
    schema: [],
    messages: {
      serviceImportsService:
        '{{from}} imports {{to}}: a service never imports another service (publish or consume an event, or move shared code to libs/).',
      serviceImportsGateway: '{{from}} imports the gateway: a service never depends on the gateway in front of it.',
      gatewayImportsService: 'The gateway imports {{to}}: it knows services only through the supergraph.',
      libraryImportsApplication:
        '{{from}} imports {{to}}: a library may import only other libraries, never a service, the gateway or tools.',
      runtimeImportsTools: '{{from}} imports tools outside its tests: runtime code never depends on the workspace tools.',
      relativeReach: '"{{specifier}}" reaches into {{to}} by a relative path; import it through its entry {{entry}}.',
      ownEntry: '"{{specifier}}" is this project\'s own entry; import a file of your own project by a relative path.',
    },
  },
  create(context) {
    const filename = fromRoot(context.physicalFilename ?? context.filename);
    const source = projectOfPath(filename);
    if (!source || filename.startsWith('..')) return {};

    function check(node) {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
      const specifier = node.value;
      let target;
      let relativeReach = false;
      if (specifier.startsWith('./') || specifier.startsWith('../')) {
        const path = fromRoot(resolve(ROOT, dirname(filename), specifier));
        target = projectOfPath(path);
        relativeReach = target !== null && target.id !== source.id;
      } else if (specifier.startsWith('#')) {
        target = projectOfEntry(specifier);
        if (target && target.id === source.id) {
          context.report({ node, messageId: 'ownEntry', data: { specifier } });
          return;
        }
      }
      if (!target) return;
      const data = { from: source.id, to: target.id, specifier, entry: target.entry };
      const forbidden = forbiddenDependency(filename, target);
      if (forbidden) context.report({ node, messageId: forbidden, data });
      else if (relativeReach) context.report({ node, messageId: 'relativeReach', data });
    }

    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSImportType: (node) => check(node.argument?.type === 'TSLiteralType' ? node.argument.literal : (node.source ?? node.argument)),
    };
  },
};

export default { meta: { name: 'project-boundaries' }, rules: { 'project-boundaries': rule } };
