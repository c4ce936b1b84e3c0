import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import helmet from 'helmet';

/**
 * Helmet's security headers on every route of a service (HSTS, nosniff, frame, referrer and cross-origin policies)
 * with a Content-Security-Policy that loads nothing: services answer JSON, files and calendars. A route that renders
 * a page (households' printable monthly report) sets its own, narrower policy, which replaces this one.
 */
export const serviceSecurityHeaders = () =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], frameAncestors: ["'none'"] },
    },
  });

@Module({})
export class SecurityHeadersModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(serviceSecurityHeaders()).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
