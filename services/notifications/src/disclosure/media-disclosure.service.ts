import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { SqlParams, execute, queryFirst, queryOne } from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, fetchKeysetPagesByGroup, type ConnectionShape, type PageArgs } from '#libs/pagination';
import { requireInstitution } from '../notices/notice.service.js';
import { DisclosureState } from './disclosure-state.js';
import {
  DisclosureOutlet,
  MediaDisclosure,
  type DisclosureOutletRow,
  type MediaDisclosureRow,
  type MediaDisclosuresArgs,
} from './media-disclosure.models.js';

const OUTLET_COLUMNS = `o.disclosure_id AS "disclosureId", o.institution_id AS "institutionId", o.shared_at AS "sharedAt",
  o.first_read_at AS "firstReadAt", o.acknowledged_at AS "acknowledgedAt", o.published_at AS "publishedAt",
  o.published_url AS "publishedUrl", o.published_placement AS "publishedPlacement"`;

const MEDIA_COLUMNS = `${OUTLET_COLUMNS}, to_char(d.month, 'YYYY-MM') AS month, d.state, d.published_at AS "disclosurePublishedAt",
  d.withdrawn_at AS "withdrawnAt", d.subject, d.text_body AS "textBody", d.html_body AS "htmlBody"`;

const MEDIA_FROM = `disclosure_outlet o JOIN public_disclosure d ON d.id = o.disclosure_id`;

/** The best state of a message's deliveries (any endpoint): a success wins, then one still trying. */
const WEBHOOK_STATE = (type: string) => `(
  SELECT CASE WHEN bool_or(wd.state = 'SUCCEEDED') THEN 'SUCCEEDED' WHEN bool_or(wd.state = 'PENDING') THEN 'PENDING'
              WHEN bool_or(wd.state = 'FAILED') THEN 'FAILED' ELSE min(wd.state) END
    FROM webhook_message m JOIN webhook_delivery wd ON wd.message_id = m.id
   WHERE m.disclosure_id = o.disclosure_id AND m.institution_id = o.institution_id AND m.type = '${type}')`;

const DELIVERED_AT = (type: string) => `(
  SELECT min(wd.succeeded_at) FROM webhook_message m JOIN webhook_delivery wd ON wd.message_id = m.id
   WHERE m.disclosure_id = o.disclosure_id AND m.institution_id = o.institution_id AND m.type = '${type}')`;

const MAX_URL_LENGTH = 2000;
const MAX_PLACEMENT_LENGTH = 200;
/** How far ahead of the platform's clock an outlet's "published at" may be (clocks differ a little). */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Published disclosures as media outlets see them (with their API key), and as staff see the outlets. An outlet sees
 * only the disclosures shared with it (disclosure_outlet): any other id is NOT_FOUND, whether the disclosure exists or
 * not, and an institution that is not a media outlet has none.
 */
@Injectable()
export class MediaDisclosureService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The outlet's disclosures, newest first; reading them records that the outlet has them. */
  list(caller: Caller, args: MediaDisclosuresArgs): Promise<ConnectionShape<MediaDisclosure>> {
    const institutionId = requireInstitution(caller);
    const params = new SqlParams();
    const where = [`o.institution_id = ${params.add(institutionId)}::uuid`];
    if (args.unacknowledged === true) where.push('o.acknowledged_at IS NULL');
    if (args.unacknowledged === false) where.push('o.acknowledged_at IS NOT NULL');
    return fetchKeysetPage<MediaDisclosureRow, MediaDisclosure>(
      this.dataSource,
      args,
      {
        select: MEDIA_COLUMNS,
        from: MEDIA_FROM,
        where,
        params,
        orderBy: ['o.shared_at', 'o.disclosure_id'],
        keyOf: (row) => [row.sharedAt.toISOString(), row.disclosureId],
        descending: true,
      },
      async (rows) => {
        await this.markRead(institutionId, rows);
        return rows.map((row) => MediaDisclosure.from(row));
      },
    );
  }

  async get(caller: Caller, id: string): Promise<MediaDisclosure> {
    const institutionId = requireInstitution(caller);
    const row = await this.find(institutionId, id);
    await this.markRead(institutionId, [row]);
    return MediaDisclosure.from(row);
  }

  /**
   * Records that the outlet published the disclosure: when (default now; not before the district published it, not
   * in the future) and where (a URL, words, or both; at least one). Once: again is CONFLICT ALREADY_ACKNOWLEDGED; a
   * withdrawn disclosure is CONFLICT DISCLOSURE_WITHDRAWN. Checked before anything is written.
   */
  async acknowledge(
    caller: Caller,
    id: string,
    input: { url?: string | null; placement?: string | null; publishedAt?: Date | null },
    now = new Date(),
  ): Promise<MediaDisclosure> {
    const institutionId = requireInstitution(caller);
    const url = validUrl(input.url);
    const placement = optionalText(input.placement, 'placement', MAX_PLACEMENT_LENGTH);
    if (url === null && placement === null) {
      throw DomainError.badInput('Say where it was published: a url, a placement, or both', 'MISSING_PLACE');
    }
    const publishedAt = input.publishedAt ?? now;
    if (Number.isNaN(publishedAt.getTime()) || publishedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
      throw DomainError.badInput('publishedAt must not be in the future', 'INVALID_PUBLISHED_AT');
    }
    return this.dataSource.transaction(async (manager) => {
      const current = await queryFirst<MediaDisclosureRow>(
        manager,
        `SELECT ${MEDIA_COLUMNS} FROM ${MEDIA_FROM} WHERE o.disclosure_id = $1 AND o.institution_id = $2 FOR UPDATE OF o`,
        [id, institutionId],
      );
      if (!current) throw DomainError.notFound('MediaDisclosure', id);
      if (current.state === DisclosureState.WITHDRAWN) {
        throw DomainError.conflict('This disclosure was withdrawn: take down what was published instead', 'DISCLOSURE_WITHDRAWN', {
          withdrawnAt: current.withdrawnAt!.toISOString(),
        });
      }
      if (current.acknowledgedAt) {
        throw DomainError.conflict('You acknowledged this disclosure already', 'ALREADY_ACKNOWLEDGED', {
          acknowledgedAt: current.acknowledgedAt.toISOString(),
        });
      }
      if (publishedAt.getTime() < current.disclosurePublishedAt.getTime()) {
        throw DomainError.badInput('publishedAt is before the district published the disclosure', 'INVALID_PUBLISHED_AT', {
          disclosurePublishedAt: current.disclosurePublishedAt.toISOString(),
        });
      }
      await execute(
        manager,
        `UPDATE disclosure_outlet
            SET acknowledged_at = now(), acknowledged_by = $3, published_at = $4, published_url = $5, published_placement = $6,
                first_read_at = coalesce(first_read_at, now())
          WHERE disclosure_id = $1 AND institution_id = $2`,
        [id, institutionId, caller.userId, publishedAt, url, placement],
      );
      const row = await queryOne<MediaDisclosureRow>(
        manager,
        `SELECT ${MEDIA_COLUMNS} FROM ${MEDIA_FROM} WHERE o.disclosure_id = $1 AND o.institution_id = $2`,
        [id, institutionId],
      );
      return MediaDisclosure.from(row);
    });
  }

  /** Staff: the outlets a disclosure was shared with, and how far each got (webhooks, reads, acknowledgement). */
  /** The same page of outlets of each disclosure: one statement for a page of disclosures. */
  outletsOf(disclosureIds: readonly string[], args: PageArgs): Promise<ConnectionShape<DisclosureOutlet>[]> {
    const params = new SqlParams();
    return fetchKeysetPagesByGroup<DisclosureOutletRow, DisclosureOutlet>(
      this.dataSource,
      args,
      disclosureIds,
      {
        select: `${OUTLET_COLUMNS}, ${WEBHOOK_STATE('disclosure.published')} AS "webhookState",
                 ${DELIVERED_AT('disclosure.published')} AS "webhookDeliveredAt", ${DELIVERED_AT('disclosure.withdrawn')} AS "withdrawalDeliveredAt"`,
        from: 'disclosure_outlet o',
        groupBy: 'o.disclosure_id',
        where: [`o.disclosure_id = ANY(${params.add(disclosureIds)}::uuid[])`],
        params,
        orderBy: ['o.institution_id'],
        keyOf: (row) => [row.institutionId],
      },
      (rows) => rows.map((row) => DisclosureOutlet.from(row)),
    );
  }

  private async find(institutionId: string, id: string): Promise<MediaDisclosureRow> {
    const row = await queryFirst<MediaDisclosureRow>(
      this.dataSource,
      `SELECT ${MEDIA_COLUMNS} FROM ${MEDIA_FROM} WHERE o.disclosure_id = $1 AND o.institution_id = $2`,
      [id, institutionId],
    );
    if (!row) throw DomainError.notFound('MediaDisclosure', id);
    return row;
  }

  /**
   * The first read of a published text: the outlet has it (staff see it as received), and a later withdrawal is
   * announced to it. A withdrawn one read afterwards shows only the withdrawal text, so it changes nothing there.
   */
  private async markRead(institutionId: string, rows: MediaDisclosureRow[]): Promise<void> {
    const fresh = rows.filter((row) => row.firstReadAt === null && row.state === DisclosureState.PUBLISHED);
    if (fresh.length === 0) return;
    await execute(
      this.dataSource,
      `UPDATE disclosure_outlet SET first_read_at = now() WHERE institution_id = $1 AND disclosure_id = ANY($2::uuid[]) AND first_read_at IS NULL`,
      [institutionId, fresh.map((row) => row.disclosureId)],
    );
  }
}

function validUrl(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw DomainError.badInput('url must be an absolute http(s) URL', 'INVALID_URL');
  }
  if (!['http:', 'https:'].includes(url.protocol)) throw DomainError.badInput('url must be an absolute http(s) URL', 'INVALID_URL');
  if (url.href.length > MAX_URL_LENGTH)
    throw DomainError.badInput(`url must be at most ${MAX_URL_LENGTH} characters`, 'TEXT_TOO_LONG', { field: 'url', max: MAX_URL_LENGTH });
  return url.href;
}

function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const text = value.trim();
  if (text.length > max) throw DomainError.badInput(`${field} must be at most ${max} characters`, 'TEXT_TOO_LONG', { field, max });
  return text;
}
