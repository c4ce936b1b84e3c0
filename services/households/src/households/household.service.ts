import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isWithinScope, type Caller } from '#libs/auth';
import { SqlParams } from '#libs/database';
import { DomainError } from '#libs/errors';
import { keysetAfter, pageRequest, toConnection, type ConnectionShape } from '#libs/pagination';
import { PersonalDataAudit } from '#libs/privacy';
import { Territory } from '#libs/territory';
import { Household, type HouseholdRow } from './household.model.js';
import type { HouseholdsArgs } from './households.args.js';

const COLUMNS = `h.id, h.compound_id AS "compoundId", h.building, h.unit, h.room, h.tenure,
  h.floating_population AS "floatingPopulation", h.property_company_id AS "propertyCompanyId",
  h.created_at AS "createdAt", h.updated_at AS "updatedAt", t.name AS "compoundName"`;

/** Address order; unique per household, so it is the keyset too. */
const ORDER = ['h.compound_id', 'h.building', 'h.unit', 'h.room'];

@Injectable()
export class HouseholdService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
    private readonly audit: PersonalDataAudit,
  ) {}

  async get(caller: Caller, id: string): Promise<Household> {
    const [row]: (HouseholdRow & { path: string[] })[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, t.path::text[] AS path FROM household h JOIN territory_unit t ON t.id = h.compound_id WHERE h.id = $1`,
      [id],
    );
    if (!row) throw DomainError.notFound('Household', id);
    if (!isWithinScope(caller, row.path)) throw DomainError.forbidden('That household is outside your territory', 'OUT_OF_SCOPE');
    return (await this.present(caller, [row]))[0];
  }

  /** For entity references: the households among `ids` the caller may see, in `ids` order, null for the rest. */
  async findVisible(caller: Caller, ids: readonly string[]): Promise<(Household | null)[]> {
    const rows: (HouseholdRow & { path: string[] })[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, t.path::text[] AS path FROM household h JOIN territory_unit t ON t.id = h.compound_id
        WHERE h.id = ANY($1::uuid[])`,
      [ids],
    );
    const visible = await this.present(caller, rows.filter((row) => isWithinScope(caller, row.path)));
    const byId = new Map(visible.map((household) => [household.id, household]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Households in a unit's subtree, in address order. */
  async list(caller: Caller, args: HouseholdsArgs): Promise<ConnectionShape<Household>> {
    const page = pageRequest(args, ORDER.length);
    await this.territory.requireInScope(caller, args.orgUnitId);
    const params = new SqlParams();
    const inSubtree = `h.compound_id IN (SELECT id FROM territory_unit WHERE path @> ARRAY[${params.add(args.orgUnitId)}::uuid])`;
    const where = [inSubtree];
    if (page.after) where.push(keysetAfter(ORDER, page.after, (v) => params.add(v)));
    const rows: HouseholdRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM household h JOIN territory_unit t ON t.id = h.compound_id
        WHERE ${where.join(' AND ')} ORDER BY ${ORDER.join(', ')} LIMIT ${params.add(page.limit + 1)}`,
      params.values,
    );
    const households = await this.present(caller, rows.slice(0, page.limit));
    const byId = new Map(households.map((h) => [h.id, h]));
    return toConnection(rows, page, (row) => [row.compoundId, row.building, row.unit, row.room], (row) => byId.get(row.id)!, async () => {
      const [{ count }] = await this.dataSource.query(
        `SELECT count(*)::int AS count FROM household h
          WHERE h.compound_id IN (SELECT id FROM territory_unit WHERE path @> ARRAY[$1::uuid])`,
        [args.orgUnitId],
      );
      return count as number;
    });
  }

  /** Masks the address unless the caller's role needs it, and audits the reads that are not masked. */
  private async present(caller: Caller, rows: HouseholdRow[]): Promise<Household[]> {
    const unmasked = this.audit.mayRead(caller);
    if (unmasked) await this.audit.recordRead(caller, 'Household', rows.map((row) => row.id));
    return rows.map((row) => Household.from(row, unmasked));
  }
}
