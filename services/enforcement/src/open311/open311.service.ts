import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryRows } from '#libs/database';
import { DomainError, ErrorCode, isUuid } from '#libs/errors';
import { CLOSED_STATUSES, ReportChannel, ReportStatus } from '../reports/report-enums.js';
import type { ReportCategoryRow } from '../reports/report.model.js';
import { PUBLIC_DESCRIPTION, ReportService } from '../reports/report.service.js';

/** What GeoReport v2 says to a client that asked wrongly: the HTTP status and the description. */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A service (report category) as GeoReport v2 lists it. */
export interface Open311ServiceEntry {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

/**
 * A service request as GeoReport v2 shows it: no reporter, the place at compound level only, the description only
 * when it may be public (else null), and only the public status note.
 */
export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

/** The filters of `GET requests`, as strings straight from the query. */
export interface RequestFilters {
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
}

export const MAX_RESULTS = 1000;
const DEFAULT_WINDOW_DAYS = 90;
/** Coordinates are published to three decimals (about 100 m): enough for a map, not enough to single out a door. */
const PUBLIC_COORDINATE_DECIMALS = 3;
const PHONE = /^\+?[0-9][0-9-]{4,19}$/;

interface PublicRow {
  id: string;
  status: ReportStatus;
  publicNote: string | null;
  duplicateOf: string | null;
  categoryCode: string;
  categoryNameZh: string;
  responseHours: number;
  description: string | null;
  submittedAt: Date;
  updatedAt: Date;
  dueAt: Date;
  orgUnitId: string | null;
  address: string | null;
  lat: number | null;
  long: number | null;
  agency: string | null;
}

/**
 * Only public text leaves the database on this path: the description when PUBLIC_DESCRIPTION allows it (never a
 * hotline call or an observer's report), and the public status note, never the internal one.
 */
const PUBLIC_COLUMNS = `r.id, r.status, r.public_note AS "publicNote", r.duplicate_of AS "duplicateOf", r.category_code AS "categoryCode",
  c.name_zh AS "categoryNameZh", c.response_hours AS "responseHours", CASE WHEN ${PUBLIC_DESCRIPTION} THEN r.description END AS description,
  r.submitted_at AS "submittedAt",
  r.updated_at AS "updatedAt", r.due_at AS "dueAt", r.org_unit_id AS "orgUnitId", r.lat, r.long,
  (SELECT string_agg(u.name, '' ORDER BY array_position(r.unit_path, u.id)) FROM territory_unit u WHERE u.id = ANY(r.unit_path)) AS address,
  CASE WHEN r.assignee_kind = 'UNIT' THEN (SELECT u.name FROM territory_unit u WHERE u.id = r.assignee_id) END AS agency`;

/**
 * The public Open311 GeoReport v2 face of citizen reports. Everything here is public: nothing names or reaches a
 * reporter, places are given as the compound (its names from district down), descriptions only of public channels
 * whose reporter did not opt out, and posted requests become OPEN311 reports in the same table the staff work on
 * (`publish_description=false` keeps the description for staff only).
 */
@Injectable()
export class Open311Service {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reports: ReportService,
  ) {}

  async services(): Promise<Open311ServiceEntry[]> {
    return (await this.reports.allCategories(true)).map(toService);
  }

  async serviceDefinition(code: string): Promise<{ service_code: string; attributes: never[] }> {
    const category = await this.reports.category(code);
    if (!category || !category.active) throw new Open311Error(404, `service_code ${code} is not a service here`);
    return { service_code: category.code, attributes: [] };
  }

  async request(id: string): Promise<Open311Request> {
    const rows = isUuid(id) ? await this.publicRows(['r.id = $1'], [id]) : [];
    if (rows.length === 0) throw new Open311Error(404, `service_request_id ${id} was not found`);
    return toRequest(rows[0]);
  }

  async requests(filters: RequestFilters, now: Date): Promise<Open311Request[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (value: unknown) => `$${values.push(value)}`;
    if (filters.service_request_id !== undefined) {
      // The spec: a list of ids overrides every other filter.
      const ids = list(filters.service_request_id).filter((id) => isUuid(id));
      if (ids.length === 0) return [];
      where.push(`r.id = ANY(${add(ids)}::uuid[])`);
    } else {
      if (filters.service_code !== undefined) {
        const codes = list(filters.service_code);
        const known = new Set((await this.reports.allCategories(false)).map((c) => c.code));
        const unknown = codes.filter((code) => !known.has(code));
        if (unknown.length > 0) throw new Open311Error(400, `service_code ${unknown.join(', ')} is not a service here`);
        where.push(`r.category_code = ANY(${add(codes)}::text[])`);
      }
      const end = filters.end_date !== undefined ? parseDate(filters.end_date, 'end_date') : now;
      const start =
        filters.start_date !== undefined
          ? parseDate(filters.start_date, 'start_date')
          : new Date(end.getTime() - DEFAULT_WINDOW_DAYS * 86_400_000);
      if (start > end) throw new Open311Error(400, 'start_date is after end_date');
      where.push(`r.submitted_at >= ${add(start)}`, `r.submitted_at <= ${add(end)}`);
      if (filters.status !== undefined) {
        const statuses = list(filters.status).map((s) => s.toLowerCase());
        if (statuses.some((s) => s !== 'open' && s !== 'closed')) throw new Open311Error(400, 'status must be open or closed');
        if (!(statuses.includes('open') && statuses.includes('closed'))) {
          where.push(`r.closed_at IS ${statuses.includes('open') ? '' : 'NOT '}NULL`);
        }
      }
    }
    const rows = await this.publicRows(where, values, MAX_RESULTS);
    return rows.map(toRequest);
  }

  /**
   * `POST requests`: checks the form as GeoReport v2 defines it and files an OPEN311 report, recording the
   * institution when the request came with its API key (`institutionId`, from the signed caller).
   */
  async create(
    form: Record<string, unknown>,
    institutionId: string | null = null,
  ): Promise<{ service_request_id: string; service_notice: string; account_id: null }> {
    const text = (name: string): string | null => {
      const value = form[name];
      if (value === undefined || value === null) return null;
      if (typeof value !== 'string' && typeof value !== 'number') throw new Open311Error(400, `${name} must be a single value`);
      const trimmed = String(value).trim();
      return trimmed === '' ? null : trimmed;
    };
    const code = text('service_code');
    if (!code) throw new Open311Error(400, 'service_code is required');
    const category = await this.reports.category(code);
    if (!category || !category.active) throw new Open311Error(400, `service_code ${code} is not a service here`);
    const latText = text('lat');
    const longText = text('long');
    const addressString = text('address_string');
    const addressId = text('address_id');
    if (latText === null && longText === null && addressString === null && addressId === null) {
      throw new Open311Error(400, 'A location is required: lat and long, address_string or address_id');
    }
    if ((latText === null) !== (longText === null)) throw new Open311Error(400, 'lat and long must be given together');
    const lat = latText === null ? null : Number(latText);
    const long = longText === null ? null : Number(longText);
    if (lat !== null && (!Number.isFinite(lat) || Math.abs(lat) > 90)) throw new Open311Error(400, 'lat is not a WGS84 latitude');
    if (long !== null && (!Number.isFinite(long) || Math.abs(long) > 180)) throw new Open311Error(400, 'long is not a WGS84 longitude');
    if (addressId !== null && !isUuid(addressId)) throw new Open311Error(400, `address_id ${addressId} is not a compound here`);
    if (addressString !== null && addressString.length > 500) throw new Open311Error(400, 'address_string is longer than 500 characters');
    const description = text('description') ?? '';
    if (description.length > 2000) throw new Open311Error(400, 'description is longer than 2000 characters');
    const name = [text('last_name'), text('first_name')].filter(Boolean).join('') || null;
    if (name && [...name].length > 50) throw new Open311Error(400, 'first_name and last_name are too long');
    const phone = text('phone');
    if (phone !== null && !PHONE.test(phone)) throw new Open311Error(400, 'phone is not a phone number');
    // Not in GeoReport v2: a client lets its user opt out of having the description shown publicly (default: shown).
    const publish = text('publish_description');
    if (publish !== null && !/^(true|false)$/i.test(publish)) throw new Open311Error(400, 'publish_description must be true or false');
    let id: string;
    try {
      id = await this.reports.create({
        channel: ReportChannel.OPEN311,
        categoryCode: category.code,
        description,
        compoundId: addressId,
        lat,
        long,
        addressText: addressString,
        photoUploadIds: [],
        reporterUserId: null,
        reporterName: name,
        reporterPhone: phone,
        submittedBy: 'open311',
        submittedByInstitutionId: institutionId,
        publishDescription: publish === null || publish.toLowerCase() === 'true',
      });
    } catch (error) {
      // Everything the report checks is about what the client sent (an address_id that is no compound, above all).
      if (error instanceof DomainError) {
        throw new Open311Error(
          400,
          error.reason === undefined && error.code === ErrorCode.NOT_FOUND
            ? `address_id ${addressId} is not a compound here`
            : error.message,
        );
      }
      throw error;
    }
    return { service_request_id: id, service_notice: serviceNotice(category), account_id: null };
  }

  private publicRows(where: string[], values: unknown[], limit = 1): Promise<PublicRow[]> {
    return queryRows<PublicRow>(
      this.dataSource,
      `SELECT ${PUBLIC_COLUMNS} FROM citizen_report r JOIN report_category c ON c.code = r.category_code
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY r.submitted_at DESC, r.id DESC LIMIT ${limit}`,
      values,
    );
  }
}

function toService(category: ReportCategoryRow): Open311ServiceEntry {
  return {
    service_code: category.code,
    service_name: category.nameZh,
    description: category.description,
    metadata: false,
    type: 'realtime',
    keywords: category.nameZh,
    group: category.group,
  };
}

function serviceNotice(category: Pick<ReportCategoryRow, 'nameZh' | 'responseHours'>): string {
  return `“${category.nameZh}”类举报将在${category.responseHours}小时内响应`;
}

function toRequest(row: PublicRow): Open311Request {
  const closed = CLOSED_STATUSES.includes(row.status);
  const notes = row.publicNote ?? (row.status === ReportStatus.DUPLICATE && row.duplicateOf ? `重复举报，见 ${row.duplicateOf}` : null);
  return {
    service_request_id: row.id,
    status: closed ? 'closed' : 'open',
    status_notes: notes,
    service_name: row.categoryNameZh,
    service_code: row.categoryCode,
    description: row.description,
    agency_responsible: row.agency,
    service_notice: serviceNotice({ nameZh: row.categoryNameZh, responseHours: row.responseHours }),
    requested_datetime: new Date(row.submittedAt).toISOString(),
    updated_datetime: new Date(row.updatedAt).toISOString(),
    expected_datetime: new Date(row.dueAt).toISOString(),
    address: row.address,
    address_id: row.orgUnitId,
    zipcode: null,
    lat: round(row.lat),
    long: round(row.long),
    media_url: null,
  };
}

function round(value: number | null): number | null {
  if (value === null) return null;
  const factor = 10 ** PUBLIC_COORDINATE_DECIMALS;
  return Math.round(value * factor) / factor;
}

function list(value: string): string[] {
  return String(value)
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** W3C date-times (ISO 8601), as the spec gives them; a bare date is its start, UTC. */
function parseDate(value: string, name: string): Date {
  const text = String(value);
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    throw new Open311Error(400, `${name} is not a W3C date-time (e.g. 2026-11-01T00:00:00Z)`);
  }
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new Open311Error(400, `${name} is not a date`);
  return date;
}
