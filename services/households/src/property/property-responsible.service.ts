import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { actsForWholeDistrict, hasPermission, propertyCompanyOf, requireWithinScope, type Caller } from '#libs/auth';
import { SqlParams, queryFirst, queryOne } from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { PersonalDataAudit } from '#libs/privacy';
import { Territory } from '#libs/territory';
import {
  PropertyResponsiblePerson,
  RESPONSIBLE_PERSON_READERS,
  type PropertyResponsiblePersonRow,
  type PropertyResponsiblePersonsArgs,
  type RecordPropertyResponsiblePersonInput,
} from './property-responsible.model.js';
import { compoundListScope } from './property-scope.js';

const COLUMNS = `r.compound_id AS "compoundId", r.property_company_id AS "propertyCompanyId", r.name, r.phone,
  r.recorded_by AS "recordedBy", r.recorded_at AS "recordedAt"`;
const PHONE = /^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$/;

/**
 * Compounds' responsible persons (物业垃圾分类管理责任人). A property company manages the compounds whose households
 * name it as their property company; its managers record the person for those compounds, community staff for the
 * compounds of their territory (for the company that manages it).
 */
@Injectable()
export class PropertyResponsibleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
    private readonly audit: PersonalDataAudit,
  ) {}

  /** Records the compound's responsible person, replacing the one before (in one statement: nothing half-written). */
  async record(caller: Caller, input: RecordPropertyResponsiblePersonInput): Promise<PropertyResponsiblePerson> {
    const name = input.name.trim();
    if (name.length === 0 || name.length > 50) throw DomainError.badInput('name must be 1–50 characters', 'INVALID_NAME');
    const phone = input.phone.trim();
    if (!PHONE.test(phone)) throw DomainError.badInput('phone must be a mobile number or a landline with its area code', 'INVALID_PHONE');

    const compound = await this.territory.find(input.compoundId);
    if (!compound) throw DomainError.notFound('OrgUnit', input.compoundId);
    const ownCompany = propertyCompanyOf(caller);
    if (ownCompany) {
      if (!(await this.manages(ownCompany, compound.id))) {
        throw DomainError.forbidden('Your property company does not manage that compound', 'OUT_OF_SCOPE');
      }
    } else {
      requireWithinScope(caller, compound.path);
    }
    if (compound.kind !== 'COMPOUND') throw DomainError.badInput('Responsible persons are named per compound (小区)', 'NOT_A_COMPOUND');
    const company = ownCompany ?? (await this.companyOf(compound.id));
    if (!company) throw DomainError.badInput('No household of that compound names a property company', 'NO_PROPERTY_COMPANY');

    const row = await queryOne<PropertyResponsiblePersonRow>(
      this.dataSource,
      `INSERT INTO property_responsible_person AS r (compound_id, property_company_id, name, phone, recorded_by)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (compound_id) DO UPDATE
          SET property_company_id = excluded.property_company_id, name = excluded.name, phone = excluded.phone,
              recorded_by = excluded.recorded_by, recorded_at = now()
       RETURNING ${COLUMNS}`,
      [compound.id, company, name, phone, caller.userId],
    );
    return (await this.present(caller, [row]))[0];
  }

  /**
   * Staff: the compounds of a unit of their territory (default: all of it). A property manager: the compounds their
   * company manages, narrowed to the unit when one is named. By compound.
   */
  async list(caller: Caller, args: PropertyResponsiblePersonsArgs): Promise<ConnectionShape<PropertyResponsiblePerson>> {
    const params = new SqlParams();
    const where = await compoundListScope(this.territory, caller, args.orgUnitId, 'r', params);
    // Neither a company nor a unit: only a caller acting for the whole district reads every compound.
    if (where.length === 0 && !actsForWholeDistrict(caller)) where.push('false');
    return fetchKeysetPage<PropertyResponsiblePersonRow, PropertyResponsiblePerson>(
      this.dataSource,
      args,
      {
        select: COLUMNS,
        from: 'property_responsible_person r',
        where,
        params,
        orderBy: ['r.compound_id'],
        keyOf: (row) => [row.compoundId],
      },
      (rows) => this.present(caller, rows),
    );
  }

  /** True when households of the compound name the company as their property company. */
  private async manages(company: string, compoundId: string): Promise<boolean> {
    const row = await queryFirst<{ found: number }>(
      this.dataSource,
      `SELECT 1 AS found FROM household WHERE property_company_id = $1 AND compound_id = $2 LIMIT 1`,
      [company, compoundId],
    );
    return row !== undefined;
  }

  /** The property company most of the compound's households name (a compound normally has one). */
  private async companyOf(compoundId: string): Promise<string | null> {
    const row = await queryFirst<{ id: string }>(
      this.dataSource,
      `SELECT property_company_id AS id FROM household WHERE compound_id = $1 AND property_company_id IS NOT NULL
        GROUP BY property_company_id ORDER BY count(*) DESC, property_company_id LIMIT 1`,
      [compoundId],
    );
    return row?.id ?? null;
  }

  /** Masks name and phone unless the caller may read them, and audits the reads that are not masked. */
  private async present(caller: Caller, rows: PropertyResponsiblePersonRow[]): Promise<PropertyResponsiblePerson[]> {
    const unmasked = RESPONSIBLE_PERSON_READERS.some((permission) => hasPermission(caller, permission));
    if (unmasked)
      await this.audit.recordRead(
        caller,
        'PropertyResponsiblePerson',
        rows.map((row) => row.compoundId),
      );
    return rows.map((row) => PropertyResponsiblePerson.from(row, unmasked));
  }
}
