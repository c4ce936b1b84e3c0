import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { canSeeHousehold, type Caller } from '#libs/auth';
import { SqlParams, queryFirst, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { PersonalDataAudit } from '#libs/privacy';
import { Territory } from '#libs/territory';
import { Household, type HouseholdRow } from './household.model.js';
import type { HouseholdsArgs } from './households.args.js';

const COLUMNS = `h.id, h.compound_id AS "compoundId", h.building, h.unit, h.room, h.tenure,
  h.floating_population AS "floatingPopulation", h.property_company_id AS "propertyCompanyId",
  h.created_at AS "createdAt", h.updated_at AS "updatedAt", t.name AS "compoundName"`;

@Injectable()
export class HouseholdService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
    private readonly audit: PersonalDataAudit,
  ) {}

  async get(caller: Caller, id: string): Promise<Household> {
    const row = await queryFirst<HouseholdRow & { path: string[] }>(
      this.dataSource,
      `SELECT ${COLUMNS}, t.path::text[] AS path FROM household h JOIN territory_unit t ON t.id = h.compound_id WHERE h.id = $1`,
      [id],
    );
    if (!row) throw DomainError.notFound('Household', id);
    // A resident sees only their own household, not their compound's others.
    if (!canSeeHousehold(caller, id, row.path)) throw DomainError.forbidden('That household is outside your territory', 'OUT_OF_SCOPE');
    return (await this.present(caller, [row]))[0];
  }

  /** For entity references: the households among `ids` the caller may see, in `ids` order, null for the rest. */
  async findVisible(caller: Caller, ids: readonly string[]): Promise<(Household | null)[]> {
    const rows = await queryRows<HouseholdRow & { path: string[] }>(
      this.dataSource,
      `SELECT ${COLUMNS}, t.path::text[] AS path FROM household h JOIN territory_unit t ON t.id = h.compound_id
        WHERE h.id = ANY($1::uuid[])`,
      [ids],
    );
    const visible = await this.present(
      caller,
      rows.filter((row) => canSeeHousehold(caller, row.id, row.path)),
    );
    const byId = new Map(visible.map((household) => [household.id, household]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Households in a unit's subtree, in address order. */
  async list(caller: Caller, args: HouseholdsArgs): Promise<ConnectionShape<Household>> {
    await this.territory.requireInScope(caller, args.orgUnitId);
    const params = new SqlParams();
    const inSubtree = `h.compound_id IN (SELECT id FROM territory_unit WHERE path @> ARRAY[${params.add(args.orgUnitId)}::uuid])`;
    return fetchKeysetPage<HouseholdRow, Household>(
      this.dataSource,
      args,
      {
        select: COLUMNS,
        from: 'household h JOIN territory_unit t ON t.id = h.compound_id',
        where: [inSubtree],
        params,
        orderBy: ['h.compound_id', 'h.building', 'h.unit', 'h.room'],
        keyOf: (row) => [row.compoundId, row.building, row.unit, row.room],
      },
      (rows) => this.present(caller, rows),
    );
  }

  /** Masks the address unless the caller's role needs it, and audits the reads that are not masked. */
  private async present(caller: Caller, rows: HouseholdRow[]): Promise<Household[]> {
    const unmasked = this.audit.mayRead(caller);
    if (unmasked)
      await this.audit.recordRead(
        caller,
        'Household',
        rows.map((row) => row.id),
      );
    // A resident reads their own address in clear.
    return rows.map((row) => Household.from(row, unmasked || caller.householdId === row.id));
  }
}
