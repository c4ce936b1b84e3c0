import { Body, Controller, HttpCode, HttpStatus, Post, UseFilters, UseGuards } from '@nestjs/common';
import type { Caller } from '#libs/auth';
import { DomainError } from '#libs/errors';
import { isUuid, PlainHttpErrorFilter, ServiceCallerGuard, SignedCaller } from '#libs/platform';
import { CitingRecord, UploadService } from './upload.service.js';

/** The records of other services that cite photos through this route; households' own records cite in-process. */
const REMOTE_RECORDS: ReadonlySet<string> = new Set([CitingRecord.CITIZEN_REPORT, CitingRecord.CASE, CitingRecord.ACTION_FINDING]);

/** What enforcement sends: the record, where it lies, and the photos it cites. */
interface CitationRequest {
  kind?: unknown;
  recordId?: unknown;
  householdId?: unknown;
  orgUnitId?: unknown;
  uploadIds?: unknown;
}

const optionalId = (value: unknown, field: string): string | null => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !isUuid(value)) throw DomainError.badInput(`${field} must be an id (UUID)`, 'INVALID_ID', { field });
  return value;
};

/**
 * Internal: enforcement's reports, cases and joint-action findings cite photos here, with the signed context of the
 * user who made the record (the same check as households' own records: that user's uploads only, each once). Not
 * routed by the gateway; only a holder of the context-signing secret can call it.
 *
 * `POST /internal/uploads/citations` records a citation (204) or answers the refusal as JSON (403 NOT_YOUR_PHOTO,
 * 400 UNKNOWN_PHOTO / PHOTO_ALREADY_CITED), writing nothing. `POST /internal/uploads/citations/release` removes a
 * record's citations when the record itself could not be written after all.
 */
@Controller('internal/uploads/citations')
@UseGuards(ServiceCallerGuard)
@UseFilters(PlainHttpErrorFilter)
export class InternalCitationsController {
  constructor(private readonly uploads: UploadService) {}

  @Post()
  @HttpCode(HttpStatus.NO_CONTENT)
  async cite(@SignedCaller() caller: Caller, @Body() received: CitationRequest | undefined): Promise<void> {
    // A request without a body has none at all (undefined), not an empty one.
    const body = received ?? {};
    const kind = this.kindOf(body);
    const recordId = optionalId(body.recordId, 'recordId');
    if (!recordId) throw DomainError.badInput('recordId is required', 'INVALID_ID', { field: 'recordId' });
    const ids = body.uploadIds;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))
      throw DomainError.badInput('uploadIds must be a list of ids', 'INVALID_ID');
    await this.uploads.citeInOwnTransaction(caller, ids as string[], {
      kind,
      recordId,
      householdId: optionalId(body.householdId, 'householdId'),
      orgUnitId: optionalId(body.orgUnitId, 'orgUnitId'),
    });
  }

  @Post('release')
  @HttpCode(HttpStatus.NO_CONTENT)
  async release(@SignedCaller() caller: Caller, @Body() received: CitationRequest | undefined): Promise<void> {
    const body = received ?? {};
    const recordId = optionalId(body.recordId, 'recordId');
    if (!recordId) throw DomainError.badInput('recordId is required', 'INVALID_ID', { field: 'recordId' });
    await this.uploads.release(caller, this.kindOf(body), recordId);
  }

  private kindOf(body: CitationRequest): CitingRecord {
    if (typeof body.kind !== 'string' || !REMOTE_RECORDS.has(body.kind)) {
      throw DomainError.badInput(`kind must be one of ${[...REMOTE_RECORDS].join(', ')}`, 'INVALID_KIND');
    }
    return body.kind as CitingRecord;
  }
}
