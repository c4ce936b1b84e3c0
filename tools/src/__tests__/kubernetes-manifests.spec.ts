import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Service } from 'kubernetes-models/v1/Service';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { parseServiceEnvironment, parseServingEnvironment, serviceEnvironmentShape } from '#libs/platform';
import { DEFAULT_PORTS } from '#libs/messaging';
import { gatewayEnvironmentShape, parseServingGatewayEnvironment } from '#gateway/gateway-environment';
import { calendarEnvironmentShape, parseCalendarSettings } from '#services/enforcement/src/joint-actions/calendar-settings';
import { creditExportEnvironmentShape, parseCreditExportSettings } from '#services/enforcement/src/credit-export/credit-export-settings';
import { parseWebhookSettings, webhookEnvironmentShape } from '#services/notifications/src/webhooks/webhook-settings';
import { retentionEnvironmentShape as organizationRetention } from '#services/organization/src/retention/retention-settings';
import { retentionEnvironmentShape as householdsRetention } from '#services/households/src/retention/retention-settings';
import { retentionEnvironmentShape as enforcementRetention } from '#services/enforcement/src/retention/retention-settings';
import { retentionEnvironmentShape as notificationsRetention } from '#services/notifications/src/retention/retention-settings';
import { parseUploadDirectory } from '#services/households/src/uploads/upload-directory';
import { generateComposeSecrets } from '../compose-env.js';
import { repoRoot } from '../repo-root.js';
import { SERVICE_NAMES } from '../services.js';

/**
 * Renders each Kustomize overlay under deploy/kubernetes with `kubectl kustomize` (the same code `kubectl apply -k`
 * runs), validates every object against the Kubernetes schemas, and checks that each process gets the settings it
 * refuses to start without, judged by the process's own environment parsers, and that subgraphs admit only the
 * gateway. Without kubectl on the machine the suite is skipped, and says so in its name.
 */
const ROOT = repoRoot();
const OVERLAYS = ['development', 'production'] as const;
const kubectlFound = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
const suite = kubectlFound ? describe : describe.skip;
const title = kubectlFound ? 'Kubernetes manifests' : 'Kubernetes manifests (skipped: kubectl is not installed)';

const SECRET_NAME = 'waste-platform-secrets';
type SubgraphName = 'organization' | 'households' | 'enforcement' | 'notifications';
type Process = SubgraphName | 'gateway' | 'migrate';
/** The services by name, as plain strings (the catalogue's enum does not compare with the names in the manifests). */
const SERVICES = SERVICE_NAMES.map(String) as SubgraphName[];
const portOf = (name: string) => (DEFAULT_PORTS as Record<string, number>)[name];

/**
 * The environment schemas each process reads, as the code declares them: a process needs what its schemas require,
 * and what they would default to an address of the pod itself (below). `*EnvironmentShape` exports the spec does not
 * know fail the test that lists them, so a new setting cannot be left out of this check.
 */
const SHAPES: Record<Process, z.ZodRawShape[]> = {
  organization: [serviceEnvironmentShape(portOf('organization')), organizationRetention],
  households: [serviceEnvironmentShape(portOf('households')), householdsRetention],
  enforcement: [
    serviceEnvironmentShape(portOf('enforcement')),
    enforcementRetention,
    calendarEnvironmentShape,
    creditExportEnvironmentShape,
  ],
  notifications: [serviceEnvironmentShape(portOf('notifications')), notificationsRetention, webhookEnvironmentShape],
  gateway: [gatewayEnvironmentShape],
  migrate: [serviceEnvironmentShape(0)],
};
/** The exports SHAPES draws on, by name (each spread into the ones above where it is not listed itself). */
const KNOWN_SHAPE_EXPORTS = [
  'serviceEnvironmentShape',
  'gatewayEnvironmentShape',
  'oidcEnvironmentShape',
  'operationsEnvironmentShape',
  'consoleEnvironmentShape',
  'calendarEnvironmentShape',
  'creditExportEnvironmentShape',
  'webhookEnvironmentShape',
  'retentionEnvironmentShape',
  'sharedRetentionEnvironmentShape',
];
/** Settings read one by one rather than through a shape (all with defaults that suit a pod but UPLOAD_DIR's, checked below). */
const READ_WITHOUT_SHAPE: Partial<Record<Process, string[]>> = {
  households: ['UPLOAD_DIR', 'UPLOAD_DAILY_QUOTA', 'COLLECTION_MAX_KG_PER_POINT_DAY'],
};
/** The migration Job reads the services' schema but only migrates: it never listens, queues or calls households. */
const UNUSED_BY: Partial<Record<Process, string[]>> = { migrate: ['REDIS_URL', 'LISTEN_HOST', 'HOUSEHOLDS_INTERNAL_URL'] };
const LOOPBACK = /\b(127\.0\.0\.1|localhost|\[?::1\]?)\b/;
const readsOf = (process: Process) => [...SHAPES[process].flatMap((shape) => Object.keys(shape)), ...(READ_WITHOUT_SHAPE[process] ?? [])];

/**
 * The variables a process needs in a cluster, from its schemas: those whose default names the loopback interface
 * (`npm start` on one machine; in a pod nothing else listens there), and those the process's own checks refuse to
 * start without in this environment (its secrets, production's identity provider and https addresses, a serving
 * process's gateway key; the gateway's JWT_SECRET outside production only). NODE_ENV too: the image says production,
 * the manifests say which.
 */
function neededBy(process: Process, env: Record<string, string>): string[] {
  const needed = new Set(['NODE_ENV']);
  for (const shape of SHAPES[process]) {
    for (const [name, schema] of Object.entries(shape)) {
      const fallback = (schema as z.ZodType).safeParse(undefined);
      if (fallback.success && typeof fallback.data === 'string' && LOOPBACK.test(fallback.data)) needed.add(name);
    }
  }
  for (const name of Object.keys(env)) {
    const { [name]: _left, ...without } = env;
    if (throws(() => checkWithProcessParsers(process, without))) needed.add(name);
  }
  // The gateway's subgraph addresses default to the committed supergraph's, which point at this machine.
  if (process === 'gateway') {
    for (const [, name, url] of readFileSync(join(ROOT, 'gateway/supergraph.graphql'), 'utf8').matchAll(
      /@join__graph\(name: "(\w+)", url: "([^"]+)"\)/g,
    ))
      if (LOOPBACK.test(url)) needed.add(`${name.toUpperCase()}_URL`);
  }
  for (const name of UNUSED_BY[process] ?? []) needed.delete(name);
  return [...needed].sort();
}

const throws = (run: () => unknown) => {
  try {
    run();
    return false;
  } catch {
    return true;
  }
};

/** A value only the Secret may hold: a secret of the schemas (`secret()`), a key, or a URL with a password in it. */
function isSecretValue(process: Process, name: string, value: string): boolean {
  const schema = SHAPES[process].map((shape) => shape[name] as z.ZodType | undefined).find(Boolean);
  if (schema?.description === name || /_(KEY|SECRET)$/.test(name)) return true;
  return URL.canParse(value) && new URL(value).password !== '';
}

/** Secrets a process must never hold (tools/src/start.ts gives each only its own). */
const FORBIDDEN: Record<Process, string[]> = {
  organization: ['GATEWAY_SIGNING_KEY', 'JWT_SECRET', 'WEBHOOK_SECRET_KEY', 'CREDIT_EXPORT_SECRET'],
  households: ['GATEWAY_SIGNING_KEY', 'JWT_SECRET', 'WEBHOOK_SECRET_KEY', 'CREDIT_EXPORT_SECRET'],
  enforcement: ['GATEWAY_SIGNING_KEY', 'JWT_SECRET', 'WEBHOOK_SECRET_KEY'],
  notifications: ['GATEWAY_SIGNING_KEY', 'JWT_SECRET', 'CREDIT_EXPORT_SECRET'],
  gateway: ['CONTEXT_SIGNING_SECRET', 'WEBHOOK_SECRET_KEY', 'CREDIT_EXPORT_SECRET', 'GATEWAY_VERIFY_KEY'],
  migrate: ['GATEWAY_SIGNING_KEY', 'JWT_SECRET', 'WEBHOOK_SECRET_KEY', 'CREDIT_EXPORT_SECRET'],
};

/** Values an operator would put into the Secret: random, of the forms the parsers require. */
const compose = generateComposeSecrets();
const SECRET_VALUES: Record<string, string> = {
  ...compose,
  DATABASE_URL: `postgres://waste:${compose.POSTGRES_PASSWORD}@postgres.internal:5432/postgres`,
  REDIS_URL: `redis://:${compose.REDIS_PASSWORD}@redis.internal:6379`,
  CREDIT_EXPORT_SECRET: randomBytes(32).toString('hex'),
};

const VALIDATORS: Record<string, (object: unknown) => void> = {
  'apps/v1/Deployment': (object) => new Deployment(object as Deployment).validate(),
  'v1/Service': (object) => new Service(object as Service).validate(),
  'v1/ConfigMap': (object) => new ConfigMap(object as ConfigMap).validate(),
  'v1/PersistentVolumeClaim': (object) => new PersistentVolumeClaim(object as PersistentVolumeClaim).validate(),
  'autoscaling/v2/HorizontalPodAutoscaler': (object) => new HorizontalPodAutoscaler(object as HorizontalPodAutoscaler).validate(),
  'policy/v1/PodDisruptionBudget': (object) => new PodDisruptionBudget(object as PodDisruptionBudget).validate(),
  'networking.k8s.io/v1/NetworkPolicy': (object) => new NetworkPolicy(object as NetworkPolicy).validate(),
  'batch/v1/Job': (object) => new Job(object as Job).validate(),
};

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: unknown;
  data?: Record<string, string>;
}

function render(overlay: string): KubeObject[] {
  const output = execFileSync('kubectl', ['kustomize', join(ROOT, 'deploy/kubernetes/overlays', overlay)], { encoding: 'utf8' });
  return parseAllDocuments(output).map((document) => document.toJS() as KubeObject);
}

/** Which process a container runs, from its command (the image is the same for all). */
function processOf(container: IContainer): Process {
  const script = (container.command ?? []).find((word) => word.startsWith('dist/'));
  const match = /^dist\/(?:services\/(\w+)\/src\/main|gateway\/src\/main|tools\/src\/migrate-cli)\.js$/.exec(script ?? '');
  if (!match) throw new Error(`${container.name}: runs ${String(script)}, not a platform process`);
  if (match[1]) return match[1] as Process;
  return script!.startsWith('dist/gateway') ? 'gateway' : 'migrate';
}

/**
 * The environment a container starts with, secrets filled in; `secretKeys` lists the Secret's keys it reads, and
 * `sources` where each variable comes from (`Secret`, `ConfigMap <name>`, or `value` written in the container).
 */
function environmentOf(
  container: IContainer,
  objects: KubeObject[],
): { env: Record<string, string>; secretKeys: string[]; sources: Record<string, string> } {
  const configMap = (name: string) => {
    const found = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === name);
    if (!found) throw new Error(`${container.name}: reads ConfigMap ${name}, which the overlay does not make`);
    return found.data ?? {};
  };
  const env: Record<string, string> = {};
  const secretKeys: string[] = [];
  const sources: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (!source.configMapRef) throw new Error(`${container.name}: envFrom other than a ConfigMap`);
    const data = configMap(source.configMapRef.name!);
    Object.assign(env, data);
    for (const name of Object.keys(data)) sources[name] = `ConfigMap ${source.configMapRef.name!.replace(/-\w+$/, '')}`;
  }
  for (const variable of container.env ?? []) {
    const secretRef = variable.valueFrom?.secretKeyRef;
    const configRef = variable.valueFrom?.configMapKeyRef;
    if (secretRef) {
      expect([variable.name, secretRef.name]).toEqual([variable.name, SECRET_NAME]);
      secretKeys.push(secretRef.key);
      env[variable.name] = SECRET_VALUES[secretRef.key] ?? `unknown secret key ${secretRef.key}`;
      sources[variable.name] = 'Secret';
    } else if (configRef) {
      env[variable.name] = configMap(configRef.name!)[configRef.key];
      sources[variable.name] = `ConfigMap ${configRef.name!.replace(/-\w+$/, '')}`;
    } else {
      env[variable.name] = variable.value ?? '';
      sources[variable.name] = 'value';
    }
  }
  return { env, secretKeys, sources };
}

/** Runs the process's own environment checks (those it runs at boot); throws what it would refuse to start with. */
function checkWithProcessParsers(process: Process, env: Record<string, string>): void {
  if (process === 'gateway') {
    parseServingGatewayEnvironment(env);
    return;
  }
  if (process === 'migrate') {
    for (const name of SERVICES) parseServiceEnvironment(portOf(name), env);
    return;
  }
  const parsed = parseServingEnvironment(portOf(process), env);
  expect(parsed.PORT).toBe(portOf(process));
  if (process === 'enforcement') {
    parseCreditExportSettings(env);
    parseCalendarSettings(env);
  }
  if (process === 'notifications') parseWebhookSettings(env);
  if (process === 'households') expect(parseUploadDirectory(env)).toBe('/data/uploads');
}

/** Mi of a Kubernetes memory quantity (the manifests use Mi and Gi). */
function mebibytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`memory ${quantity}: write it in Mi or Gi`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

/** The table of "Memory and CPU" in docs/operations.md: each process's measured peak (MiB), request and limit. */
function measuredMemory(): Record<string, { peak: number | null; request: number; limit: number }> {
  const text = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
  const section = text.slice(text.indexOf('### Memory and CPU'), text.indexOf('### Migrations before the rollout'));
  const rows: Record<string, { peak: number | null; request: number; limit: number }> = {};
  for (const line of section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| process'))) {
    const cells = line.split('|').map((cell) => cell.trim());
    const name = cells[1].replace(/ \(Job\)$/, '');
    const peak = Number(cells[5]);
    rows[name] = { peak: Number.isFinite(peak) && cells[5] !== '' ? peak : null, request: mebibytes(cells[6]), limit: mebibytes(cells[7]) };
  }
  return rows;
}

const podSpecs = (objects: KubeObject[]) =>
  objects
    .filter((object) => object.kind === 'Deployment' || object.kind === 'Job')
    .map((object) => ({ object, pod: (object.spec as { template: { spec: IPodSpec } }).template.spec }));

suite(title, () => {
  it('knows every environment schema the code exports, so each process is checked against all it reads', () => {
    const exported = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== '__tests__' && entry.name !== 'node_modules') walk(path);
        } else if (entry.name.endsWith('.ts')) {
          for (const [, name] of readFileSync(path, 'utf8').matchAll(/export (?:const|function) (\w+EnvironmentShape)\b/g))
            exported.add(name);
        }
      }
    };
    for (const root of ['services', 'gateway/src', 'libs']) walk(join(ROOT, root));
    expect([...exported].sort()).toEqual([...KNOWN_SHAPE_EXPORTS].sort());
  });

  for (const overlay of OVERLAYS) {
    describe(`overlay ${overlay}`, () => {
      const objects = kubectlFound ? render(overlay) : [];
      const byKind = (kind: string) => objects.filter((object) => object.kind === kind);
      const named = (kind: string, name: string) => byKind(kind).find((object) => object.metadata.name === name);

      it('renders only objects that are valid Kubernetes objects of known kinds', () => {
        expect(objects.length).toBeGreaterThan(0);
        for (const object of objects) {
          const validate = VALIDATORS[`${object.apiVersion}/${object.kind}`];
          expect([object.kind, object.metadata.name, Boolean(validate)]).toEqual([object.kind, object.metadata.name, true]);
          validate(object);
        }
        // Secrets stay out of Git: the Secret is made in the cluster, never rendered from here.
        expect(byKind('Secret')).toEqual([]);
      });

      it('runs every service and the gateway from the one image, each with a Service on its port', () => {
        const deployments = byKind('Deployment').map((object) => object.metadata.name);
        expect(deployments.sort()).toEqual([...SERVICES, 'gateway'].sort());
        for (const { object, pod } of podSpecs(objects)) {
          expect(pod.containers).toHaveLength(1);
          const [container] = pod.containers;
          const process = processOf(container);
          if (object.kind === 'Deployment') expect(process).toBe(object.metadata.name);
          // The command names a file the build makes: its source exists.
          const source = container
            .command!.find((word) => word.startsWith('dist/'))!
            .replace(/^dist\//, '')
            .replace(/\.js$/, '.ts');
          expect(existsSync(join(ROOT, source))).toBe(true);
          expect(container.image).toBe(podSpecs(objects)[0].pod.containers[0].image);
          expect(pod.securityContext?.runAsNonRoot).toBe(true);
          if (object.kind !== 'Deployment') continue;
          const port = process === 'gateway' ? 4000 : portOf(process);
          expect(container.ports?.map((entry) => entry.containerPort)).toEqual([port]);
          const service = named('Service', object.metadata.name)!.spec as Service['spec'];
          expect(service!.ports!.map((entry) => entry.port)).toEqual([port]);
          expect(service!.selector).toEqual({ 'app.kubernetes.io/name': object.metadata.name });
        }
      });

      it('probes every Deployment for readiness on /health/ready and for liveness on /health/live, and bounds its resources', () => {
        for (const deployment of byKind('Deployment')) {
          const [container] = (deployment.spec as { template: { spec: IPodSpec } }).template.spec.containers;
          expect([deployment.metadata.name, container.readinessProbe?.httpGet?.path, container.livenessProbe?.httpGet?.path]).toEqual([
            deployment.metadata.name,
            '/health/ready',
            '/health/live',
          ]);
          for (const bound of ['requests', 'limits'] as const) {
            expect(container.resources?.[bound]).toEqual({ cpu: expect.anything(), memory: expect.anything() });
          }
        }
      });

      it('sets memory from the measured peaks of docs/operations.md: request above the peak, limit above the heap cap', () => {
        const measured = measuredMemory();
        for (const { object, pod } of podSpecs(objects)) {
          const [container] = pod.containers;
          const name = object.kind === 'Job' ? 'migrate' : object.metadata.name;
          const row = measured[name];
          expect([name, Boolean(row)]).toEqual([name, true]);
          const request = mebibytes(String(container.resources!.requests!.memory));
          const limit = mebibytes(String(container.resources!.limits!.memory));
          // Development asks for less (one small replica each); production asks for what the table says.
          if (overlay === 'production') expect([name, request]).toEqual([name, row.request]);
          if (row.peak !== null) expect([name, row.request >= row.peak * 1.2]).toEqual([name, true]);
          expect([name, limit]).toEqual([name, row.limit]);
          // The old-generation heap is capped at 384 MB (NODE_OPTIONS); the rest of the process needs room above it.
          expect([name, limit >= 384 * 1.5, limit >= request]).toEqual([name, true, true]);
        }
      });

      it('gives each process every variable its schemas need, secrets from the Secret only, and no other process’s secret', () => {
        for (const { object, pod } of podSpecs(objects)) {
          const [container] = pod.containers;
          const process = processOf(container);
          const { env, secretKeys, sources } = environmentOf(container, objects);
          const needed = neededBy(process, env);
          // What the schemas say a cluster must set, so the check is not this file's opinion: the secrets and, from
          // their defaults, the addresses of the database, Redis, households and the subgraphs.
          expect(needed).toEqual(
            expect.arrayContaining(['NODE_ENV', 'DATABASE_URL', 'CONTEXT_SIGNING_SECRET'].filter(() => process !== 'gateway')),
          );
          const missing = needed.filter((name) => (env[name] ?? '').trim() === '');
          expect([object.metadata.name, missing]).toEqual([object.metadata.name, []]);
          const notFromSecret = Object.entries(env)
            .filter(([name, value]) => isSecretValue(process, name, value) && value !== '' && sources[name] !== 'Secret')
            .map(([name]) => `${name} from ${sources[name]}`);
          expect([object.metadata.name, notFromSecret]).toEqual([object.metadata.name, []]);
          expect([object.metadata.name, secretKeys.filter((key) => FORBIDDEN[process].includes(key))]).toEqual([object.metadata.name, []]);
          expect(() => checkWithProcessParsers(process, env)).not.toThrow();
          // A variable the process does not read is a typo or a leftover, and its setting silently does nothing
          // (platform-config is shared: each of its keys is read by some process, checked below).
          const unread = Object.keys(env).filter(
            (name) => sources[name] !== 'ConfigMap platform-config' && !readsOf(process).includes(name),
          );
          expect([object.metadata.name, unread]).toEqual([object.metadata.name, []]);
        }
        const platform = byKind('ConfigMap').find((object) => object.metadata.name.startsWith('platform-config'))!;
        const readers = podSpecs(objects).map(({ pod }) => processOf(pod.containers[0]));
        const unreadShared = Object.keys(platform.data ?? {}).filter((name) => !readers.some((process) => readsOf(process).includes(name)));
        expect(unreadShared).toEqual([]);
        expect(
          Object.fromEntries(byKind('ConfigMap').map((object) => [object.metadata.name.replace(/-\w+$/, ''), object.data?.NODE_ENV])),
        ).toMatchObject({ 'platform-config': overlay === 'production' ? 'production' : 'development' });
      });

      it('admits subgraph traffic only from the gateway (households’ internal routes also from its two callers)', () => {
        const policies = byKind('NetworkPolicy').map((object) => object.spec as NonNullable<NetworkPolicy['spec']>);
        // Everything in the namespace refuses connections no policy admits.
        expect(policies).toContainEqual({ podSelector: {}, policyTypes: ['Ingress'] });
        const admitted = (name: string) =>
          policies
            .filter((policy) => {
              const selector = policy.podSelector.matchLabels ?? {};
              return Object.entries(selector).every(([key, value]) => (key === 'app.kubernetes.io/name' ? value === name : false));
            })
            .flatMap((policy) => policy.ingress ?? [])
            .map((rule) => ({
              from: (rule.from ?? [{}]).map((peer) =>
                peer.ipBlock || peer.namespaceSelector || !peer.podSelector
                  ? 'anyone'
                  : peer.podSelector.matchLabels?.['app.kubernetes.io/name'],
              ),
              ports: rule.ports?.map((entry) => entry.port),
            }));
        for (const name of SERVICES) {
          const callers = name === 'households' ? ['gateway', 'enforcement', 'notifications'] : ['gateway'];
          expect([name, admitted(name)]).toEqual([name, [{ from: callers, ports: [portOf(name)] }]]);
        }
        expect(admitted('gateway')).toEqual([{ from: ['anyone'], ports: [4000] }]);
      });

      it('scales the gateway and the stateless services, keeps households single, and budgets every disruption', () => {
        const scaled = byKind('HorizontalPodAutoscaler').map(
          (object) => (object.spec as NonNullable<HorizontalPodAutoscaler['spec']>).scaleTargetRef.name,
        );
        expect(scaled.sort()).toEqual(['enforcement', 'gateway', 'notifications', 'organization']);
        const households = named('Deployment', 'households')!.spec as Deployment['spec'];
        expect([households!.replicas, households!.strategy?.type]).toEqual([1, 'Recreate']);
        const budgets = byKind('PodDisruptionBudget').map((object) => object.metadata.name);
        expect(budgets.sort()).toEqual([...SERVICES, 'gateway'].sort());
        for (const budget of byKind('PodDisruptionBudget')) {
          const name = budget.metadata.name;
          const spec = budget.spec as NonNullable<PodDisruptionBudget['spec']>;
          expect(spec.selector?.matchLabels).toEqual({ 'app.kubernetes.io/name': name });
          // A budget that allows no pod down blocks every node drain: with the fewest replicas the Deployment or its
          // autoscaler may run, at least one pod may go.
          const autoscaler = named('HorizontalPodAutoscaler', name)?.spec as HorizontalPodAutoscaler['spec'] | undefined;
          const fewest = autoscaler?.minReplicas ?? (named('Deployment', name)!.spec as Deployment['spec'])!.replicas ?? 1;
          const mayGo = spec.maxUnavailable !== undefined ? Number(spec.maxUnavailable) : fewest - Number(spec.minAvailable);
          expect([name, mayGo >= 1]).toEqual([name, true]);
        }
        for (const scaler of byKind('HorizontalPodAutoscaler')) {
          const spec = scaler.spec as NonNullable<HorizontalPodAutoscaler['spec']>;
          // Utilization is a share of the CPU request, so the target container must have one.
          const target = named('Deployment', spec.scaleTargetRef.name)!.spec as Deployment['spec'];
          expect(target!.template.spec!.containers[0].resources?.requests?.cpu).toBeDefined();
          expect([scaler.metadata.name, spec.minReplicas! <= spec.maxReplicas]).toEqual([scaler.metadata.name, true]);
        }
      });

      it('migrates with migrate-cli, which never seeds the demo district', () => {
        const job = named('Job', 'migrate')!.spec as Job['spec'];
        expect(job!.template.spec!.containers[0].command).toEqual(['node', 'dist/tools/src/migrate-cli.js']);
        expect(job!.template.spec!.restartPolicy).toBe('Never');
        // docs/operations.md applies the Job before the rollout with this selector: it must take what the Job reads.
        const selected = objects
          .filter((object) => ['config', 'migration'].includes(object.metadata.labels?.['app.kubernetes.io/component'] ?? ''))
          .map((object) => `${object.kind}/${object.metadata.name}`);
        const reads = job!.template.spec!.containers[0].envFrom!.map((source) => `ConfigMap/${source.configMapRef!.name}`);
        expect(selected.sort()).toEqual([...reads, 'Job/migrate'].sort());
      });
    });
  }
});
