import { Inject, Injectable, Module } from '@nestjs/common';
import { signCaller, type Caller } from '#libs/auth';
import { DomainError, ErrorCode } from '#libs/errors';
import { SERVICE_RUNTIME, type ServiceRuntime } from '#libs/platform';
import { tracedFetch } from '#libs/telemetry';

const TIMEOUT_MS = 10_000;

/** The kinds of enforcement record that cite photos, as households names them. */
export enum EvidenceRecord {
  CITIZEN_REPORT = 'CITIZEN_REPORT',
  CASE = 'CASE',
  ACTION_FINDING = 'ACTION_FINDING',
}

/** The record citing photos, and where it lies (its household, else its org unit; neither: district-wide). */
export interface EvidenceCitation {
  kind: EvidenceRecord;
  recordId: string;
  householdId?: string | null;
  orgUnitId?: string | null;
}

/**
 * Photos are evidence of one record only and only their uploader's, checked and recorded by households (which owns
 * the photos) through its internal citation route, signed with the caller's context as the gateway signs it.
 *
 * `within` runs a record's write and cites its photos inside it: the write's transaction stays open while households
 * answers, so a refusal (FORBIDDEN NOT_YOUR_PHOTO, BAD_USER_INPUT UNKNOWN_PHOTO / PHOTO_ALREADY_CITED) rolls the record
 * back and nothing is written on either side; should the record's commit fail after households recorded the
 * citation, the citation is released again.
 */
@Injectable()
export class EvidencePhotos {
  /** Households' base URL as enforcement reaches it (`HOUSEHOLDS_INTERNAL_URL`, checked at boot), not through the gateway. */
  private readonly baseUrl: string;

  constructor(@Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime) {
    this.baseUrl = runtime.env.HOUSEHOLDS_INTERNAL_URL.replace(/\/+$/, '');
  }

  async within<T>(
    caller: Caller,
    write: (cite: (uploadIds: readonly string[], citation: EvidenceCitation) => Promise<void>) => Promise<T>,
  ): Promise<T> {
    const cited: EvidenceCitation[] = [];
    const cite = async (uploadIds: readonly string[], citation: EvidenceCitation) => {
      if (uploadIds.length === 0) return;
      await this.post('', caller, { ...citation, uploadIds });
      cited.push(citation);
    };
    try {
      return await write(cite);
    } catch (error) {
      for (const citation of cited) {
        await this.post('/release', caller, { kind: citation.kind, recordId: citation.recordId }).catch(() => undefined);
      }
      throw error;
    }
  }

  private async post(path: string, caller: Caller, body: unknown): Promise<void> {
    const response = await tracedFetch(`${this.baseUrl}/internal/uploads/citations${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': caller.requestId,
        ...signCaller(caller, this.runtime.env.CONTEXT_SIGNING_SECRET),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (response.ok) return;
    const answer = (await response.json().catch(() => null)) as {
      error?: { code?: string; reason?: string; message?: string; details?: Record<string, unknown> };
    } | null;
    const error = answer?.error;
    // Households' refusals are the caller's to act on and pass through as they are; anything else is our failure.
    if (error?.code && [ErrorCode.BAD_USER_INPUT, ErrorCode.FORBIDDEN].includes(error.code as ErrorCode)) {
      throw new DomainError(error.code as ErrorCode, error.message ?? 'The photos were refused', error.reason, error.details);
    }
    throw new Error(`households answered ${response.status} to a photo citation: ${error?.code ?? ''} ${error?.message ?? ''}`.trim());
  }
}

@Module({
  providers: [EvidencePhotos],
  exports: [EvidencePhotos],
})
export class EvidencePhotosModule {}
