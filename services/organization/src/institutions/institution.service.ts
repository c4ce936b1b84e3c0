import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PostgresErrorCode, SqlParams, execute, isPostgresError, queryFirst, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, fetchKeysetPagesByGroup, type ConnectionShape, type PageArgs } from '#libs/pagination';
import type { InstitutionRow } from './institution.entity.js';
import { InstitutionKind } from './institution-kind.js';
import { Institution } from './institution.model.js';
import type { InstitutionsArgs } from './institutions.args.js';

const COLUMNS = `i.id, i.kind, i.name, i.credit_code AS "creditCode", i.org_unit_id AS "orgUnitId", i.created_at AS "createdAt",
  i.parent_id AS "parentId"`;

/**
 * Institutions are reference data every staff role may read (notices, campaigns and duties name them); the
 * territory scope limits households and units, not the list of schools and employers.
 */
@Injectable()
export class InstitutionService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findByIds(ids: readonly string[]): Promise<InstitutionRow[]> {
    return queryRows<InstitutionRow>(this.dataSource, `SELECT ${COLUMNS} FROM institution i WHERE i.id = ANY($1::uuid[])`, [ids]);
  }

  async get(id: string): Promise<InstitutionRow> {
    const institution = (await this.findByIds([id])).at(0);
    if (!institution) throw DomainError.notFound('Institution', id);
    return institution;
  }

  async list(args: InstitutionsArgs): Promise<ConnectionShape<Institution>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (args.kind) where.push(`i.kind = ${params.add(args.kind)}`);
    if (args.orgUnitId) {
      const unit = await queryFirst<{ id: string }>(this.dataSource, `SELECT id FROM org_unit WHERE id = $1`, [args.orgUnitId]);
      if (!unit) throw DomainError.notFound('OrgUnit', args.orgUnitId);
      where.push(`i.org_unit_id IN (SELECT id FROM org_unit WHERE path @> ARRAY[${params.add(args.orgUnitId)}::uuid])`);
    }
    return fetchKeysetPage<InstitutionRow, Institution>(
      this.dataSource,
      args,
      { select: COLUMNS, from: 'institution i', where, params, orderBy: ['i.name', 'i.id'], keyOf: (row) => [row.name, row.id] },
      (rows) => rows.map((row) => Institution.from(row)),
    );
  }

  /** A department's sector units (下属行业单位), ordered by name. */
  /** The same page of sector units of each department, by name: one statement for a page of departments. */
  subordinatesOf(parentIds: readonly string[], args: PageArgs): Promise<ConnectionShape<Institution>[]> {
    const params = new SqlParams();
    return fetchKeysetPagesByGroup<InstitutionRow, Institution>(
      this.dataSource,
      args,
      parentIds,
      {
        select: COLUMNS,
        from: 'institution i',
        groupBy: 'i.parent_id',
        where: [`i.parent_id = ANY(${params.add(parentIds)}::uuid[])`],
        params,
        orderBy: ['i.name', 'i.id'],
        keyOf: (row) => [row.name, row.id],
      },
      (rows) => rows.map((row) => Institution.from(row)),
    );
  }

  /**
   * Makes an institution a sector unit of a top-level DEPARTMENT, or (parentId null) independent again. A department
   * with subordinates cannot itself become one.
   */
  async setParent(id: string, parentId: string | null): Promise<InstitutionRow> {
    const institution = await this.get(id);
    if (parentId !== null) {
      if (parentId === id) throw DomainError.badInput('An institution cannot be its own parent', 'INVALID_PARENT');
      const parent = await this.get(parentId);
      if (parent.kind !== InstitutionKind.DEPARTMENT || parent.parentId !== null) {
        throw DomainError.badInput(
          `Only a top-level DEPARTMENT has sector units; ${parent.name} is a ${parent.kind}${parent.parentId ? ' under a department' : ''}`,
          'INVALID_PARENT',
        );
      }
      const child = await queryFirst<{ id: string }>(this.dataSource, `SELECT id FROM institution WHERE parent_id = $1 LIMIT 1`, [id]);
      if (child) throw DomainError.badInput(`${institution.name} has sector units of its own and cannot become one`, 'INVALID_PARENT');
    }
    try {
      await execute(this.dataSource, `UPDATE institution SET parent_id = $2 WHERE id = $1`, [id, parentId]);
    } catch (error) {
      if (isPostgresError(error, PostgresErrorCode.CheckViolation))
        throw DomainError.badInput('Only a top-level DEPARTMENT has sector units', 'INVALID_PARENT');
      throw error;
    }
    return this.get(id);
  }
}
