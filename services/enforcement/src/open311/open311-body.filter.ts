import { ArgumentsHost, BadRequestException, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import { errorBody } from './open311-format.js';

/**
 * A body the parser cannot read (malformed JSON or form data) fails before any controller runs. Under
 * `/open311/v2` it is answered as GeoReport v2 errors are; everywhere else Nest answers as it always does.
 */
@Catch(BadRequestException)
export class Open311BodyErrorFilter extends BaseExceptionFilter {
  override catch(exception: BadRequestException, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<Request>();
    const path = request.originalUrl;
    if (!path.startsWith('/open311/v2/')) return super.catch(exception, host);
    const { type, body } = errorBody(
      /\.xml(\?|$)/i.test(path) ? 'xml' : 'json',
      400,
      'The request body could not be read: send it form-urlencoded or as JSON',
    );
    host.switchToHttp().getResponse<Response>().status(400).type(type).send(body);
  }
}
