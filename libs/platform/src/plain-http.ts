import {
  Catch,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  SetMetadata,
  createParamDecorator,
  type ArgumentsHost,
  type CallHandler,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, throwError, type Observable } from 'rxjs';
import {
  CallerSignatureError,
  GatewaySignatureError,
  hasPermission,
  verifyCaller,
  type Caller,
  type GatewaySignatureVerifier,
  type Permission,
} from '#libs/auth';
import { DomainError, ErrorCode } from '#libs/errors';
import { GATEWAY_SIGNATURE_VERIFIER, SERVICE_RUNTIME, verifyGatewayRoute } from './platform.module.js';
import type { ServiceRuntime } from './service-definition.js';

/*
 * What the plain-HTTP routes beside GraphQL share (households' photo uploads, collection-record CSV uploads and monthly
 * reports, its internal routes for other services; notifications' API-key routes): the signed caller (the gateway's,
 * or another service's), a permission or a signer per route, and one JSON error shape.
 */

/** The codes of the plain-HTTP error bodies: the GraphQL codes, two that only bytes can cause, and a used-up quota. */
export type PlainHttpErrorCode = ErrorCode | 'UNSUPPORTED_MEDIA_TYPE' | 'PAYLOAD_TOO_LARGE' | 'TOO_MANY_REQUESTS';

/** An expected failure of a plain-HTTP request, with the HTTP status and the code the client branches on. */
export class PlainHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: PlainHttpErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PlainHttpError';
  }

  /** 413 in the route's own words (what it takes at most). */
  static tooLarge(message: string): PlainHttpError {
    return new PlainHttpError(HttpStatus.PAYLOAD_TOO_LARGE, 'PAYLOAD_TOO_LARGE', message);
  }
}

/**
 * multer says only "File too large". A route that takes a file lists this interceptor before its `FileInterceptor`
 * to answer that 413 in its own words (its limit); without it the filter answers a general 413.
 */
export class PayloadTooLargeAs implements NestInterceptor {
  constructor(private readonly message: string) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          throwError(() =>
            error instanceof HttpException && statusOf(error) === HttpStatus.PAYLOAD_TOO_LARGE
              ? PlainHttpError.tooLarge(this.message)
              : error,
          ),
        ),
      );
  }
}

/**
 * `{ "error": { "code", "reason"?, "message", "details"? } }`: the one shape of every error the plain-HTTP routes answer.
 * `reason` and `details` are a domain error's, as GraphQL gives them in `extensions` (an invalid import file's errors).
 */
export interface PlainHttpErrorBody {
  error: { code: PlainHttpErrorCode; reason?: string; message: string; details?: Record<string, unknown> };
}

const DOMAIN_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.BAD_USER_INPUT]: HttpStatus.BAD_REQUEST,
  [ErrorCode.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.FORBIDDEN]: HttpStatus.FORBIDDEN,
  [ErrorCode.UNAUTHENTICATED]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.CONFLICT]: HttpStatus.CONFLICT,
  [ErrorCode.INTERNAL_SERVER_ERROR]: HttpStatus.INTERNAL_SERVER_ERROR,
};

/**
 * Maps what the plain-HTTP routes throw (domain errors, multer's limits as Nest HTTP exceptions, anything else) to
 * a status and the one error body. Unexpected errors are logged once and their message is masked in production.
 */
@Catch()
export class PlainHttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('PlainHttp');

  constructor(@Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.describe(exception);
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.status(status).json(body);
  }

  describe(exception: unknown): { status: number; body: PlainHttpErrorBody } {
    const answer = (status: number, code: PlainHttpErrorCode, message: string) => ({ status, body: { error: { code, message } } });
    if (exception instanceof PlainHttpError) return answer(exception.status, exception.code, exception.message);
    if (exception instanceof DomainError) {
      const { code, reason, message, details } = exception;
      return {
        status: DOMAIN_STATUS[code],
        body: { error: { code, ...(reason ? { reason } : {}), message, ...(details ? { details } : {}) } },
      };
    }
    if (exception instanceof HttpException) {
      const status = statusOf(exception);
      if (status === HttpStatus.PAYLOAD_TOO_LARGE)
        return this.describe(PlainHttpError.tooLarge('The request is larger than this route takes'));
      if (status === HttpStatus.UNSUPPORTED_MEDIA_TYPE) {
        return answer(status, 'UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data in the field "file"');
      }
      if (status < HttpStatus.INTERNAL_SERVER_ERROR) return answer(status, codeOfStatus(status), exception.message);
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    const production = this.runtime.env.NODE_ENV === 'production';
    const message = production || !(exception instanceof Error) ? 'Internal server error' : exception.message;
    return answer(HttpStatus.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL_SERVER_ERROR, message);
  }
}

/** Nest's HTTP exceptions (multer's limits among them) carry one of its HttpStatus codes, typed as a plain number. */
function statusOf(exception: HttpException): HttpStatus {
  return exception.getStatus();
}

function codeOfStatus(status: HttpStatus): PlainHttpErrorCode {
  if (status === HttpStatus.UNAUTHORIZED) return ErrorCode.UNAUTHENTICATED;
  if (status === HttpStatus.FORBIDDEN) return ErrorCode.FORBIDDEN;
  if (status === HttpStatus.NOT_FOUND) return ErrorCode.NOT_FOUND;
  if (status === HttpStatus.CONFLICT) return ErrorCode.CONFLICT;
  return ErrorCode.BAD_USER_INPUT;
}

const ANY_PERMISSION = 'plainHttp:anyPermission';

/** The route answers callers holding at least one of `permissions`; the others get 403 FORBIDDEN. */
export const RequireAnyPermission = (...permissions: Permission[]) => SetMetadata(ANY_PERMISSION, permissions);

type RequestWithCaller = Request & { signedCaller?: Caller };

/**
 * Routes the gateway passes through (uploads, collection imports, the monthly report) trust only its EdDSA signature
 * made for this service, this method and this path, for seconds and once: a request without one gets 401
 * UNAUTHENTICATED, one whose roles lack the route's permission 403 FORBIDDEN. Guards run before interceptors, so
 * neither ever has its body read.
 */
@Injectable()
export class GatewayCallerGuard implements CanActivate {
  constructor(
    @Inject(GATEWAY_SIGNATURE_VERIFIER) private readonly verifier: GatewaySignatureVerifier | null,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    let caller: Caller;
    try {
      caller = await verifyGatewayRoute(this.verifier, request);
    } catch (error) {
      const reason = error instanceof GatewaySignatureError ? error.message : 'invalid gateway signature';
      throw new PlainHttpError(
        HttpStatus.UNAUTHORIZED,
        ErrorCode.UNAUTHENTICATED,
        `Services accept only requests signed by the gateway: ${reason}`,
      );
    }
    return admit(this.reflector, context, request, caller);
  }
}

/**
 * Internal routes other services call (enforcement's photo citations) trust the caller signed with the services'
 * shared CONTEXT_SIGNING_SECRET; the gateway holds no such secret, and no route the gateway passes through takes it.
 */
@Injectable()
export class ServiceCallerGuard implements CanActivate {
  constructor(
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    let caller: Caller;
    try {
      caller = verifyCaller(request.headers, this.runtime.env.CONTEXT_SIGNING_SECRET);
    } catch (error) {
      const reason = error instanceof CallerSignatureError ? error.message : 'invalid caller context';
      throw new PlainHttpError(
        HttpStatus.UNAUTHORIZED,
        ErrorCode.UNAUTHENTICATED,
        `Internal routes accept only requests signed by a service: ${reason}`,
      );
    }
    return admit(this.reflector, context, request, caller);
  }
}

const SIGNERS = 'plainHttp:signers';

/**
 * The route answers only requests signed as one of `userIds` (a service's or the gateway's own system caller); any
 * other signed caller gets 401 UNAUTHENTICATED, as an unsigned request does.
 */
export const RequireSigner = (...userIds: string[]) => SetMetadata(SIGNERS, userIds);

/** The route's signer and permission checks, then the verified caller kept for `SignedCaller`. */
function admit(reflector: Reflector, context: ExecutionContext, request: RequestWithCaller, caller: Caller): boolean {
  const signers = reflector.getAllAndOverride<string[] | undefined>(SIGNERS, [context.getHandler(), context.getClass()]) ?? [];
  if (signers.length > 0 && !signers.includes(caller.userId)) {
    throw new PlainHttpError(HttpStatus.UNAUTHORIZED, ErrorCode.UNAUTHENTICATED, `This route answers only ${signers.join(' or ')}`);
  }
  const permissions = reflector.get<Permission[] | undefined>(ANY_PERMISSION, context.getHandler()) ?? [];
  if (permissions.length > 0 && !permissions.some((permission) => hasPermission(caller, permission))) {
    throw DomainError.forbidden(`Your role does not allow ${permissions.join(' or ')}`, 'MISSING_PERMISSION');
  }
  request.signedCaller = caller;
  return true;
}

/** The caller that `GatewayCallerGuard` or `ServiceCallerGuard` verified for this request. */
export const SignedCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<RequestWithCaller>().signedCaller;
  if (!caller) throw new Error('SignedCaller used on a route without GatewayCallerGuard or ServiceCallerGuard');
  return caller;
});
