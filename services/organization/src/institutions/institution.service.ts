import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SqlParams } from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import type { InstitutionEntity } from './institution.entity.js';
import { Institution } from './institution.model.js';
import type { InstitutionsArgs } from './institutions.args.js';

const COLUMNS = `i.id, i.kind, i.name, i.credit_code AS "creditCode", i.org_unit_id AS "orgUnitId", i.created_at AS "createdAt"`;

/**
 * Institutions are reference data every staff role may read (notices, campaigns and duties name them); the
 * territory scope limits households and units, not the list of schools and employers.
 */
@Injectable()
export class InstitutionService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findByIds(ids: readonly string[]): Promise<InstitutionEntity[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM institution i WHERE i.id = ANY($1::uuid[])`, [ids]);
  }

  async get(id: string): Promise<InstitutionEntity> {
    const [institution] = await this.findByIds([id]);
    if (!institution) throw DomainError.notFound('Institution', id);
    return institution;
  }

  async list(args: InstitutionsArgs): Promise<ConnectionShape<Institution>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (args.kind) where.push(`i.kind = ${params.add(args.kind)}`);
    if (args.orgUnitId) {
      const [unit] = await this.dataSource.query(`SELECT 1 FROM org_unit WHERE id = $1`, [args.orgUnitId]);
      if (!unit) throw DomainError.notFound('OrgUnit', args.orgUnitId);
      where.push(`i.org_unit_id IN (SELECT id FROM org_unit WHERE path @> ARRAY[${params.add(args.orgUnitId)}::uuid])`);
    }
    return fetchKeysetPage<InstitutionEntity, Institution>(
      this.dataSource,
      args,
      { select: COLUMNS, from: 'institution i', where, params, orderBy: ['i.name', 'i.id'], keyOf: (row) => [row.name, row.id] },
      (rows) => rows.map(Institution.from),
    );
  }
}
