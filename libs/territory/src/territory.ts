import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isWithinScope, type Caller } from '#libs/auth';
import { DomainError } from '#libs/errors';

export interface TerritoryUnit {
  id: string;
  kind: string;
  /** The administrative code (compounds: the community's plus three digits), which reports and consoles show. */
  code: string;
  name: string;
  path: string[];
}

/**
 * Questions about the territory tree answered from this service's copy of it: does a unit exist, is it inside
 * the caller's territory, which units lie under it. The copy lags organization by the event relay's delay.
 */
@Injectable()
export class Territory {
  constructor(private readonly dataSource: DataSource) {}

  async find(id: string): Promise<TerritoryUnit | null> {
    const rows: TerritoryUnit[] = await this.dataSource.query(
      `SELECT id, kind, code, name, path::text[] AS path FROM territory_unit WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async findMany(ids: readonly string[]): Promise<TerritoryUnit[]> {
    return this.dataSource.query(`SELECT id, kind, code, name, path::text[] AS path FROM territory_unit WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** The unit, provided it exists and lies inside the caller's territory; NOT_FOUND or FORBIDDEN otherwise. */
  async requireInScope(caller: Caller, id: string): Promise<TerritoryUnit> {
    const unit = await this.find(id);
    if (!unit) throw DomainError.notFound('OrgUnit', id);
    if (!isWithinScope(caller, unit.path)) {
      throw DomainError.forbidden('That org unit is outside your territory', 'OUT_OF_SCOPE');
    }
    return unit;
  }
}
