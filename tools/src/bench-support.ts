import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { signGatewayRequest, signGatewayRoute, type Caller } from '#libs/auth';
import { freePort } from './free-port.js';
import { PROCESS_NODE_ARGS } from './node-args.js';
import { repoRoot } from './repo-root.js';

/** What the benchmark scripts share: measuring a child process, waiting on a condition, cleaning up queues. */

/** VmHWM: the process's peak resident set, in kB, as the kernel tracked it. */
export function peakRssOf(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('Timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}

/** The bench's own gateway key pair: its measured service verifies with the public half, the bench signs with the other. */
const gatewayKeys = generateKeyPairSync('ed25519');

/** POSTs a GraphQL operation to a measured service, signed as the gateway signs subgraph requests. */
export async function postAsGateway(
  service: MeasuredService,
  name: string,
  caller: Caller,
  operation: { query: string; variables?: Record<string, unknown> },
): Promise<Response> {
  const body = JSON.stringify(operation);
  const signature = await signGatewayRequest({ caller, subgraph: name, body, key: gatewayKeys.privateKey });
  return fetch(`${service.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...signature }, body });
}

/** GETs a plain-HTTP route of a measured service (the monthly report), signed as the gateway signs its pass-throughs. */
export async function getAsGateway(service: MeasuredService, name: string, caller: Caller, target: string): Promise<Response> {
  const signature = await signGatewayRoute({ caller, subgraph: name, method: 'GET', target, key: gatewayKeys.privateKey });
  return fetch(`${service.url}${target}`, { headers: signature });
}

/** A service process exactly as production runs it, measured from outside. */
export interface MeasuredService {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The process's peak resident set so far, in MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

/** Starts `dist/services/<name>/src/main.js` on a free port with `env`, samples its peak RSS, and waits until it is healthy. */
export async function startMeasuredService(name: string, env: NodeJS.ProcessEnv): Promise<MeasuredService> {
  const port = await freePort();
  const child = spawn(process.execPath, [...PROCESS_NODE_ARGS, join(repoRoot(), `dist/services/${name}/src/main.js`)], {
    env: {
      ...env,
      PORT: String(port),
      GATEWAY_VERIFY_KEY: Buffer.from(gatewayKeys.publicKey.export({ type: 'spki', format: 'pem' })).toString('base64'),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let peakKb = 0;
  const sample = () => (peakKb = Math.max(peakKb, peakRssOf(child.pid!)));
  const sampler = setInterval(sample, 100);
  const service: MeasuredService = {
    url: `http://127.0.0.1:${port}`,
    peakRssMb: () => Math.round(sample() / 1024),
    async stop() {
      clearInterval(sampler);
      child.kill('SIGTERM');
      await exited;
    },
  };
  try {
    await until(async () => (await fetch(`${service.url}/health`).catch(() => null))?.ok === true, 60_000);
  } catch (error) {
    await service.stop();
    throw error;
  }
  return service;
}
