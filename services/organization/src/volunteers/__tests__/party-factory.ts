import type { DataSource } from 'typeorm';

const LEVELS = ['DISTRICT_COMMITTEE', 'STREET_COMMITTEE', 'COMMUNITY_COMMITTEE', 'COMPOUND_BRANCH'] as const;

/**
 * Test data for the party structure, written with SQL so these tests rely only on migration 104's tables: the chain of
 * party organisations down to a compound's branch (created where missing), and party members.
 */
export class PartyFactory {
  private memberCount = 0;

  constructor(private readonly db: DataSource) {}

  /** The compound branch (小区支部) of a compound whose territory path is `path` (district, street, community, compound). */
  async compoundBranch(path: readonly string[]): Promise<string> {
    let parent: { id: string; path: string[] } | null = null;
    for (const [level, kind] of LEVELS.entries()) {
      parent = await this.org(kind, path[level], parent);
    }
    return parent!.id;
  }

  /** A community branch (社区支部) of a community: a party organisation of the wrong kind for a volunteer team. */
  async communityBranch(path: readonly string[]): Promise<string> {
    let parent: { id: string; path: string[] } | null = null;
    for (const [level, kind] of LEVELS.slice(0, 3).entries()) parent = await this.org(kind, path[level], parent);
    return (await this.org('COMMUNITY_BRANCH', path[2], parent)).id;
  }

  /** A party member living in `communityId` who signs in as `userId`. */
  async member(userId: string, communityId: string): Promise<string> {
    this.memberCount += 1;
    const [{ id }] = await this.db.query(
      `INSERT INTO party_member (name, phone, user_id, community_id) VALUES ($1, $2, $3, $4) RETURNING id`,
      [`党员${this.memberCount}号`, `139${String(this.memberCount).padStart(8, '0')}`, userId, communityId],
    );
    return id;
  }

  private async org(
    kind: string,
    orgUnitId: string,
    parent: { id: string; path: string[] } | null,
  ): Promise<{ id: string; path: string[] }> {
    const find = async () => {
      const [row] = await this.db.query(
        `SELECT id, path::text[] AS path FROM party_org WHERE kind = $1 AND org_unit_id = $2 AND parent_id IS NOT DISTINCT FROM $3::uuid`,
        [kind, orgUnitId, parent?.id ?? null],
      );
      return row as { id: string; path: string[] } | undefined;
    };
    const existing = await find();
    if (existing) return existing;
    const [row] = await this.db.query(
      `INSERT INTO party_org (id, kind, name, parent_id, path, org_unit_id)
       SELECT new.id, $1, $1 || ' ' || left(new.id::text, 8), $2::uuid, $3::uuid[] || new.id, $4 FROM (SELECT gen_random_uuid() AS id) new
       RETURNING id, path::text[] AS path`,
      [kind, parent?.id ?? null, parent?.path ?? [], orgUnitId],
    );
    return row;
  }
}
