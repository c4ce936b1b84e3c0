import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { shanghaiDate } from '#libs/calendar';
import { PostgresErrorCode, SqlParams, execute, isPostgresError, queryFirst, queryOne, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, fetchKeysetPagesByGroup, type ConnectionShape, type PageArgs } from '#libs/pagination';
import { OrgUnitKind } from '../territory/org-unit-kind.js';
import { Leader, LeaderLiaison, type CreateLeaderInput, type LeaderRow, type LeadersArgs, type LiaisonRow } from './leader.models.js';

const LEADER_COLUMNS = `id, name, body, title, party_member_id AS "partyMemberId", created_at AS "createdAt"`;
const LIAISON_COLUMNS = `id, leader_id AS "leaderId", street_id AS "streetId", starts_on::text AS "startsOn", ends_on::text AS "endsOn"`;
const BODY_ORDER = `array_position(ARRAY['PARTY_COMMITTEE','PEOPLES_CONGRESS','GOVERNMENT','CPPCC'], body)`;

/** Leaders of the four leadership bodies and the streets they liaise with. */
@Injectable()
export class LeaderService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findByIds(ids: readonly string[]): Promise<LeaderRow[]> {
    return queryRows<LeaderRow>(this.dataSource, `SELECT ${LEADER_COLUMNS} FROM leader WHERE id = ANY($1::uuid[])`, [ids]);
  }

  list(args: LeadersArgs): Promise<ConnectionShape<Leader>> {
    const params = new SqlParams();
    const where = args.body ? [`body = ${params.add(args.body)}`] : [];
    return fetchKeysetPage<LeaderRow & { rank: number }, Leader>(
      this.dataSource,
      args,
      {
        select: `${LEADER_COLUMNS}, ${BODY_ORDER} AS rank`,
        from: 'leader',
        where,
        params,
        orderBy: [BODY_ORDER, 'name', 'id'],
        keyOf: (row) => [row.rank, row.name, row.id],
      },
      (rows) => rows.map((row) => Leader.from(row)),
    );
  }

  async create(input: CreateLeaderInput): Promise<LeaderRow> {
    const name = input.name.trim();
    const title = input.title.trim();
    if (name.length === 0 || name.length > 50) throw DomainError.badInput('name must be 1–50 characters', 'INVALID_NAME');
    if (title.length === 0 || title.length > 100) throw DomainError.badInput('title must be 1–100 characters', 'INVALID_TITLE');
    if (input.partyMemberId) {
      const member = await queryFirst<{ id: string }>(this.dataSource, `SELECT id FROM party_member WHERE id = $1`, [input.partyMemberId]);
      if (!member) throw DomainError.notFound('PartyMember', input.partyMemberId);
    }
    return queryOne<LeaderRow>(
      this.dataSource,
      `INSERT INTO leader (name, body, title, party_member_id) VALUES ($1, $2, $3, $4) RETURNING ${LEADER_COLUMNS}`,
      [name, input.body, title, input.partyMemberId ?? null],
    );
  }

  /** Assigns a leader to a street from `startsOn`; the street's previous liaison ends the day before. */
  async assignLiaison(leaderId: string, streetId: string, startsOn: string): Promise<LiaisonRow> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const leader = await queryFirst<{ id: string }>(manager, `SELECT id FROM leader WHERE id = $1`, [leaderId]);
        if (!leader) throw DomainError.notFound('Leader', leaderId);
        const street = await queryFirst<{ kind: OrgUnitKind }>(manager, `SELECT kind FROM org_unit WHERE id = $1 FOR UPDATE`, [streetId]);
        if (!street) throw DomainError.notFound('OrgUnit', streetId);
        if (street.kind !== OrgUnitKind.STREET)
          throw DomainError.badInput(`Leaders liaise with streets, not with a ${street.kind}`, 'NOT_A_STREET');
        const open = await queryFirst<LiaisonRow>(
          manager,
          `SELECT ${LIAISON_COLUMNS} FROM leader_liaison WHERE street_id = $1 AND ends_on IS NULL`,
          [streetId],
        );
        if (open) {
          if (open.leaderId === leaderId) throw DomainError.conflict('That leader already liaises with the street', 'ALREADY_LIAISON');
          if (open.startsOn >= startsOn) {
            throw DomainError.badInput(
              `The current liaison began on ${open.startsOn}; a successor starts later`,
              'STARTS_BEFORE_CURRENT_LIAISON',
            );
          }
          await execute(manager, `UPDATE leader_liaison SET ends_on = $2::date - 1 WHERE id = $1`, [open.id, startsOn]);
        }
        return queryOne<LiaisonRow>(
          manager,
          `INSERT INTO leader_liaison (leader_id, street_id, starts_on) VALUES ($1, $2, $3) RETURNING ${LIAISON_COLUMNS}`,
          [leaderId, streetId, startsOn],
        );
      });
    } catch (error) {
      if (isPostgresError(error, PostgresErrorCode.ExclusionViolation)) {
        throw DomainError.conflict('Another leader liaises with the street in that period', 'OVERLAPPING_LIAISON');
      }
      throw error;
    }
  }

  /** The liaison leader of each street today. */
  async currentLiaisonLeaders(streetIds: readonly string[], day = shanghaiDate()): Promise<Map<string, LeaderRow>> {
    const rows = await queryRows<LeaderRow & { streetId: string }>(
      this.dataSource,
      `SELECT ll.street_id AS "streetId", l.id, l.name, l.body, l.title, l.party_member_id AS "partyMemberId", l.created_at AS "createdAt"
         FROM leader_liaison ll JOIN leader l ON l.id = ll.leader_id
        WHERE ll.street_id = ANY($1::uuid[]) AND ll.starts_on <= $2::date AND (ll.ends_on IS NULL OR ll.ends_on >= $2::date)`,
      [streetIds, day],
    );
    return new Map(rows.map((row) => [row.streetId, row]));
  }

  /** The same page of liaisons of each street (or each leader), latest first: one statement for a page of parents. */
  liaisonsOf(by: 'street' | 'leader', ids: readonly string[], args: PageArgs): Promise<ConnectionShape<LeaderLiaison>[]> {
    const params = new SqlParams();
    const column = by === 'street' ? 'street_id' : 'leader_id';
    return fetchKeysetPagesByGroup<LiaisonRow, LeaderLiaison>(
      this.dataSource,
      args,
      ids,
      {
        select: LIAISON_COLUMNS,
        from: 'leader_liaison',
        groupBy: column,
        where: [`${column} = ANY(${params.add(ids)}::uuid[])`],
        params,
        orderBy: ['starts_on::text', 'id'],
        descending: true,
        keyOf: (row) => [row.startsOn, row.id],
      },
      (rows) => rows.map((row) => LeaderLiaison.from(row)),
    );
  }
}
