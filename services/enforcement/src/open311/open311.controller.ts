import { Body, Controller, Get, Inject, Logger, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Role, type Caller, type GatewaySignatureVerifier } from '#libs/auth';
import { GATEWAY_SIGNATURE_VERIFIER, SERVICE_RUNTIME, verifyGatewayRoute, type ServiceRuntime } from '#libs/platform';
import { errorBody, splitFormat, toXml, type Open311Format } from './open311-format.js';
import { Open311Error, Open311Service, type RequestFilters } from './open311.service.js';

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at `/open311/v2`: `services`, `services/{code}`,
 * `requests` (GET and POST) and `requests/{id}`, each as `.json` or `.xml`. Public, but reached through the
 * gateway only: the gateway signs an anonymous caller for it, so a request that bypasses the gateway gets 401.
 */
@Controller('open311/v2')
export class Open311Controller {
  private readonly logger = new Logger('Open311');

  constructor(
    private readonly open311: Open311Service,
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
    @Inject(GATEWAY_SIGNATURE_VERIFIER) private readonly verifier: GatewaySignatureVerifier | null,
  ) {}

  @Get(':file')
  list(@Req() req: Request, @Res() res: Response, @Param('file') file: string, @Query() query: Record<string, unknown>): Promise<void> {
    return this.answer(req, res, file, async (resource, format) => {
      if (resource === 'services') return this.send(res, format, 200, 'services', 'service', await this.open311.services());
      if (resource === 'requests') {
        const requests = await this.open311.requests(filtersOf(query), new Date());
        return this.send(res, format, 200, 'service_requests', 'request', requests);
      }
      throw new Open311Error(404, `There is no resource ${resource}`);
    });
  }

  @Get('services/:file')
  service(@Req() req: Request, @Res() res: Response, @Param('file') file: string): Promise<void> {
    return this.answer(req, res, file, async (code, format) => {
      const definition = await this.open311.serviceDefinition(code);
      if (format === 'json') return this.send(res, format, 200, null, null, definition);
      // XML: <service_definition><service_code/><attributes/></service_definition>, attributes empty here.
      return this.send(res, format, 200, 'service_definition', null, { service_code: definition.service_code, attributes: '' });
    });
  }

  @Get('requests/:file')
  request(@Req() req: Request, @Res() res: Response, @Param('file') file: string): Promise<void> {
    return this.answer(req, res, file, async (id, format) =>
      // A single request is still a list of one, as the spec shows it.
      this.send(res, format, 200, 'service_requests', 'request', [await this.open311.request(id)]),
    );
  }

  @Post(':file')
  create(@Req() req: Request, @Res() res: Response, @Param('file') file: string, @Body() body: unknown): Promise<void> {
    return this.answer(req, res, file, async (resource, format, caller) => {
      if (resource !== 'requests') throw new Open311Error(404, `There is no resource ${resource} to POST to`);
      const form = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
      // The gateway signs the institution in only after checking its api_key; anonymous requests come as open311:public.
      const institutionId = caller.roles.includes(Role.INSTITUTION) ? caller.institutionId : null;
      const created = await this.open311.create(form, institutionId);
      return this.send(res, format, 201, 'service_requests', 'request', [created]);
    });
  }

  /** Checks the gateway's signature and the extension, runs `handle`, and turns failures into the spec's errors. */
  private async answer(
    req: Request,
    res: Response,
    file: string,
    handle: (name: string, format: Open311Format, caller: Caller) => Promise<void>,
  ): Promise<void> {
    const split = splitFormat(file);
    const format = split?.[1] ?? 'json';
    try {
      let caller: Caller;
      try {
        caller = await verifyGatewayRoute(this.verifier, req);
      } catch {
        throw new Open311Error(401, 'Open311 is served through the gateway only');
      }
      if (!split) throw new Open311Error(404, `${file}: ask for .json or .xml`);
      await handle(decodeURIComponent(split[0]), format, caller);
    } catch (error) {
      if (error instanceof Open311Error) return this.fail(res, format, error.status, error.message);
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      const production = this.runtime.env.NODE_ENV === 'production';
      this.fail(res, format, 500, production || !(error instanceof Error) ? 'Internal server error' : error.message);
    }
  }

  private send(res: Response, format: Open311Format, status: number, root: string | null, item: string | null, content: unknown): void {
    if (format === 'json') {
      res.status(status).type('application/json; charset=utf-8').send(JSON.stringify(content));
    } else {
      res
        .status(status)
        .type('text/xml; charset=utf-8')
        .send(toXml(root!, item, content));
    }
  }

  private fail(res: Response, format: Open311Format, status: number, description: string): void {
    const { type, body } = errorBody(format, status, description);
    res.status(status).type(type).send(body);
  }
}

function filtersOf(query: Record<string, unknown>): RequestFilters {
  const pick = (name: keyof RequestFilters) => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new Open311Error(400, `${name} must be given once`);
    return value;
  };
  return {
    service_request_id: pick('service_request_id'),
    service_code: pick('service_code'),
    start_date: pick('start_date'),
    end_date: pick('end_date'),
    status: pick('status'),
  };
}
