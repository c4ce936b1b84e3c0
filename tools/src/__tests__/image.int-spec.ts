import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '#libs/testing';
import { repoRoot } from '../repo-root.js';

/**
 * The production image itself, built from the root Dockerfile with `docker build` and run: who its processes run as
 * and what its HEALTHCHECK does. Needs a Docker engine (`docker info` answers); without one the suite is skipped and
 * says so in its name, and dockerfile.spec.ts still checks the Dockerfile's text.
 */
const dockerAnswers = spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 20_000 }).status === 0;
const suite = dockerAnswers ? describe : describe.skip;
const title = dockerAnswers ? 'the production image' : 'the production image (skipped: no Docker engine answers `docker info`)';

const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

interface ImageConfig {
  User: string;
  Env: string[];
  Cmd: string[];
  Healthcheck?: { Test: string[]; Interval?: number; Retries?: number };
}

suite(title, () => {
  const tag = `waste-platform:spec-${randomBytes(4).toString('hex')}`;
  const containers: string[] = [];
  let config: ImageConfig;

  beforeAll(() => {
    execFileSync('docker', ['build', '--tag', tag, repoRoot()], { stdio: 'ignore', timeout: 15 * 60_000 });
    config = (JSON.parse(docker('image', 'inspect', tag)) as { Config: ImageConfig }[])[0].Config;
  }, 16 * 60_000);

  afterAll(() => {
    for (const container of containers) spawnSync('docker', ['rm', '--force', container], { stdio: 'ignore' });
    spawnSync('docker', ['image', 'rm', '--force', tag], { stdio: 'ignore' });
  });

  it('runs its processes as the unprivileged node user, in production, starting the gateway by default', () => {
    expect(config.User).toBe('node');
    expect(config.Env).toContain('NODE_ENV=production');
    expect(config.Cmd).toEqual(['node', 'dist/gateway/src/main.js']);
    // What a process inside actually runs as, not what the metadata says: uid and gid 1000, the runAsUser and
    // runAsGroup of the Kubernetes manifests, so /data/uploads (made for node) is writable there too.
    const ids = docker('run', '--rm', tag, 'node', '-e', 'process.stdout.write(`${process.getuid()} ${process.getgid()}`)');
    expect(ids).toBe('1000 1000');
    expect(spawnSync('docker', ['run', '--rm', tag, 'sh', '-c', 'touch /data/uploads/x'], { stdio: 'ignore' }).status).toBe(0);
    // Nothing it may write outside its upload directory: the application files belong to root.
    expect(spawnSync('docker', ['run', '--rm', tag, 'sh', '-c', 'touch /app/dist/x'], { stdio: 'ignore' }).status).not.toBe(0);
  });

  it('has a HEALTHCHECK that asks /health on the process’s PORT: healthy when it answers 200, failing when nothing listens', async () => {
    expect(config.Healthcheck?.Test[0]).toBe('CMD');
    const check = config.Healthcheck!.Test.slice(1);
    expect(check.join(' ')).toContain('/health');
    // Nothing listens on PORT: the check itself exits non-zero.
    expect(spawnSync('docker', ['run', '--rm', '--env', 'PORT=4999', tag, ...check], { stdio: 'ignore' }).status).toBe(1);
    // A stand-in process answering 200 on /health at PORT: the engine marks the container healthy.
    const server = `require('node:http').createServer((q, s) => { s.statusCode = q.url === '/health' ? 200 : 404; s.end(); }).listen(4999)`;
    const container = docker('run', '--detach', '--env', 'PORT=4999', tag, 'node', '-e', server);
    containers.push(container);
    await waitFor(
      'the container to be healthy',
      () => Promise.resolve(docker('inspect', '--format', '{{.State.Health.Status}}', container) === 'healthy'),
      120_000,
    );
  }, 150_000);
});
