import {
  Controller,
  Get,
  HttpStatus,
  Inject,
  Res,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Response } from 'express';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { MESSAGING_OPTIONS, type MessagingOptions } from '#libs/messaging';
import { settledWithin } from './settled-within.js';

const CHECK_TIMEOUT_MS = 2_000;

/**
 * `GET /health`: 200 when this process reaches its database and Redis, 503 with what is down otherwise.
 * `GET /health/live`: 200 while the event loop runs; nothing outside the process is asked, so an away database never
 * gets a working process restarted. `GET /health/ready`: `/health`'s checks, and 503 from the moment the process
 * starts shutting down, so a load balancer stops sending it requests before it stops accepting them.
 */
@Controller('health')
export class HealthController implements OnModuleDestroy, BeforeApplicationShutdown, OnApplicationShutdown {
  private redis?: Redis;
  private draining = false;
  /**
   * A connection of its own: the service's pool can be busy for seconds with real work (a month's notices, a backlog
   * of events after a seed), and a process that is working is not down.
   */
  private database?: pg.Pool;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingOptions,
  ) {}

  @Get()
  async check(@Res() response: Response): Promise<void> {
    const checks = await this.dependencies();
    const healthy = checks.database === 'up' && checks.redis === 'up';
    response
      .status(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .json({ status: healthy ? 'ok' : 'unavailable', service: this.messaging.service, checks });
  }

  @Get('live')
  live(@Res() response: Response): void {
    response.status(HttpStatus.OK).json({ status: 'ok', service: this.messaging.service });
  }

  @Get('ready')
  async ready(@Res() response: Response): Promise<void> {
    const draining = this.draining;
    const checks = draining ? { database: 'unchecked', redis: 'unchecked' } : await this.dependencies();
    const ready = !draining && checks.database === 'up' && checks.redis === 'up';
    response
      .status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .json({ status: ready ? 'ok' : 'unavailable', service: this.messaging.service, checks: { ...checks, draining } });
  }

  /**
   * From now on the process answers not-ready. Called on SIGTERM/SIGINT before anything closes (see bootstrap.ts),
   * and by the shutdown hooks for a close that came another way.
   */
  drain(): void {
    this.draining = true;
  }

  onModuleDestroy(): void {
    this.drain();
  }

  beforeApplicationShutdown(): void {
    this.drain();
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis?.disconnect();
    await this.database?.end();
  }

  private async dependencies(): Promise<{ database: 'up' | 'down'; redis: 'up' | 'down' }> {
    const [database, redis] = await Promise.all([
      probe(() => this.databaseClient().query('SELECT 1')),
      probe(() => this.redisClient().ping()),
    ]);
    return { database, redis };
  }

  private databaseClient(): pg.Pool {
    if (!this.database) {
      const { url } = this.dataSource.options as { url?: string };
      this.database = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 60_000, connectionTimeoutMillis: CHECK_TIMEOUT_MS });
      // An idle connection the server closed is just gone; the next check opens another.
      this.database.on('error', () => undefined);
    }
    return this.database;
  }

  private redisClient(): Redis {
    this.redis ??= new Redis(this.messaging.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
    return this.redis;
  }
}

async function probe(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  return (await settledWithin(
    check().then(() => true),
    CHECK_TIMEOUT_MS,
  ))
    ? 'up'
    : 'down';
}
