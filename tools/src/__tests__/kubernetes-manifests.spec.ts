import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
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
import { parseServiceEnvironment, parseServingEnvironment } from '#libs/platform';
import { DEFAULT_PORTS } from '#libs/messaging';
import { parseServingGatewayEnvironment } from '#gateway/gateway-environment';
import { parseCalendarSettings } from '#services/enforcement/src/joint-actions/calendar-settings';
import { parseCreditExportSettings } from '#services/enforcement/src/credit-export/credit-export-settings';
import { parseWebhookSettings } from '#services/notifications/src/webhooks/webhook-settings';
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
 * What each process must be given in a cluster although its parser has a default: the defaults point at
 * 127.0.0.1 (`npm start` on one machine), where nothing listens in a pod. Secrets and what production requires
 * are found by the parsers themselves.
 */
const SERVICE_REQUIRED = ['NODE_ENV', 'PORT', 'LISTEN_HOST', 'DATABASE_URL', 'REDIS_URL', 'CONTEXT_SIGNING_SECRET', 'GATEWAY_VERIFY_KEY'];
const REQUIRED: Record<Process, string[]> = {
  organization: SERVICE_REQUIRED,
  households: [...SERVICE_REQUIRED, 'UPLOAD_DIR'],
  enforcement: [...SERVICE_REQUIRED, 'HOUSEHOLDS_INTERNAL_URL', 'PUBLIC_GATEWAY_URL', 'CREDIT_EXPORT_SECRET'],
  notifications: [...SERVICE_REQUIRED, 'HOUSEHOLDS_INTERNAL_URL', 'WEBHOOK_SECRET_KEY'],
  gateway: ['NODE_ENV', 'PORT', 'REDIS_URL', 'GATEWAY_SIGNING_KEY', 'CORS_ORIGINS', ...SERVICES.map((name) => `${name.toUpperCase()}_URL`)],
  migrate: ['NODE_ENV', 'DATABASE_URL', 'CONTEXT_SIGNING_SECRET'],
};
/**
 * Required by NODE_ENV (docs/configuration.md): production exports credits and signs staff in with the identity
 * provider; elsewhere the gateway issues development tokens signed with JWT_SECRET.
 */
const REQUIRED_IN_PRODUCTION: Partial<Record<Process, string[]>> = {
  enforcement: ['CREDIT_EXPORT_URL'],
  gateway: ['OIDC_ISSUER', 'OIDC_AUDIENCE'],
};
const REQUIRED_ELSEWHERE: Partial<Record<Process, string[]>> = { gateway: ['JWT_SECRET'] };
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

/** The environment a container starts with, secrets filled in; `secretKeys` lists the Secret's keys it reads. */
function environmentOf(container: IContainer, objects: KubeObject[]): { env: Record<string, string>; secretKeys: string[] } {
  const configMap = (name: string) => {
    const found = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === name);
    if (!found) throw new Error(`${container.name}: reads ConfigMap ${name}, which the overlay does not make`);
    return found.data ?? {};
  };
  const env: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const source of container.envFrom ?? []) {
    if (!source.configMapRef) throw new Error(`${container.name}: envFrom other than a ConfigMap`);
    Object.assign(env, configMap(source.configMapRef.name!));
  }
  for (const variable of container.env ?? []) {
    const secretRef = variable.valueFrom?.secretKeyRef;
    const configRef = variable.valueFrom?.configMapKeyRef;
    if (secretRef) {
      expect([variable.name, secretRef.name]).toEqual([variable.name, SECRET_NAME]);
      secretKeys.push(secretRef.key);
      env[variable.name] = SECRET_VALUES[secretRef.key] ?? `unknown secret key ${secretRef.key}`;
    } else if (configRef) {
      env[variable.name] = configMap(configRef.name!)[configRef.key];
    } else {
      env[variable.name] = variable.value ?? '';
    }
  }
  return { env, secretKeys };
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

const podSpecs = (objects: KubeObject[]) =>
  objects
    .filter((object) => object.kind === 'Deployment' || object.kind === 'Job')
    .map((object) => ({ object, pod: (object.spec as { template: { spec: IPodSpec } }).template.spec }));

suite(title, () => {
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

      it('gives each process every variable it needs, from the ConfigMaps and the Secret, and no other process’s secret', () => {
        for (const { object, pod } of podSpecs(objects)) {
          const [container] = pod.containers;
          const process = processOf(container);
          const { env, secretKeys } = environmentOf(container, objects);
          const byNodeEnv = (env.NODE_ENV === 'production' ? REQUIRED_IN_PRODUCTION : REQUIRED_ELSEWHERE)[process] ?? [];
          const missing = [...REQUIRED[process], ...byNodeEnv].filter((name) => (env[name] ?? '').trim() === '');
          expect([object.metadata.name, missing]).toEqual([object.metadata.name, []]);
          expect([object.metadata.name, secretKeys.filter((key) => FORBIDDEN[process].includes(key))]).toEqual([object.metadata.name, []]);
          expect(() => checkWithProcessParsers(process, env)).not.toThrow();
        }
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
