import { Controller, Get, HttpStatus, Inject, Res, type OnApplicationShutdown } from '@nestjs/common';
import type { Response } from 'express';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { MESSAGING_OPTIONS, type MessagingOptions } from '#libs/messaging';

const CHECK_TIMEOUT_MS = 2_000;

/** `GET /health`: 200 when this process reaches its database and Redis, 503 with what is down otherwise. */
@Controller('health')
export class HealthController implements OnApplicationShutdown {
  private redis?: Redis;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingOptions,
  ) {}

  @Get()
  async check(@Res() response: Response): Promise<void> {
    const [database, redis] = await Promise.all([
      probe(() => this.dataSource.query('SELECT 1')),
      probe(() => this.redisClient().ping()),
    ]);
    const healthy = database === 'up' && redis === 'up';
    response
      .status(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .json({ status: healthy ? 'ok' : 'unavailable', service: this.messaging.service, checks: { database, redis } });
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis?.disconnect();
  }

  private redisClient(): Redis {
    this.redis ??= new Redis(this.messaging.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
    return this.redis;
  }
}

async function probe(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}
