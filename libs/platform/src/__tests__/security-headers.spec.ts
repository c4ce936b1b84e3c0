import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Header, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SecurityHeadersModule } from '../security-headers.module.js';

@Controller()
class PagesController {
  @Get('photos/:id')
  photo() {
    return { id: 'p1' };
  }

  @Get('report.html')
  @Header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
  report() {
    return '<p>report</p>';
  }
}

@Module({ imports: [SecurityHeadersModule], controllers: [PagesController] })
class AppModule {}

describe('security headers on a service', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app.close();
  });

  it('sends them on every route, unknown ones included, and lets a page narrow its own policy', async () => {
    for (const path of ['/photos/p1', '/nothing/here']) {
      const answer = await fetch(`${base}${path}`);
      expect(answer.headers.get('content-security-policy')).toBe(
        "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
      );
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('strict-transport-security')).toMatch(/max-age/);
      expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(answer.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    }
    const report = await fetch(`${base}/report.html`);
    expect(report.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(report.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
