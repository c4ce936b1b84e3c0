import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { ServiceName } from '#libs/messaging';
import { codeOf, reasonOf, waitFor, type GraphQLResponse } from '#libs/testing';
import { seededHouseholds, startPlatform, type SeededHousehold, type TestPlatform } from '#tools/test-platform';

const OPEN = `mutation($input: OpenCaseInput!, $key: String) {
  openCase(input: $input, idempotencyKey: $key) { id householdId floatingPopulation orgUnit { id } state } }`;
const REGISTER = `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateHouseholdInput!) { updateHousehold(id: $id, input: $input) { id floatingPopulation } }`;
const REMOVE = `mutation($id: ID!) { removeHousehold(id: $id) }`;

/**
 * A household case names a household of the registry, as enforcement's copy of it has it: one that exists, inside the
 * officer's territory, found at its compound; the case keeps the registry's floating population. Changes made through
 * the households API reach the copy through the event queue.
 */
describe('household cases checked against the households registry', () => {
  let platform: TestPlatform;
  let households: SeededHousehold[];
  let streetOne: string;
  let streetAdmin: string;
  let ours: SeededHousehold;

  const enforcement = () => platform.database(ServiceName.Enforcement);
  const written = async () => {
    const [row] = await enforcement().query(
      `SELECT (SELECT count(*) FROM enforcement_case)::int AS cases, (SELECT count(*) FROM case_history)::int AS history,
              (SELECT count(*) FROM idempotency_record)::int AS keys`,
    );
    return row as { cases: number; history: number; keys: number };
  };
  const input = (household: { id: string }, orgUnitId: string, change: Record<string, unknown> = {}) => ({
    targetKind: 'HOUSEHOLD',
    householdId: household.id,
    orgUnitId,
    articleCode: 'NB-WASTE-63-1',
    evidenceDescription: '厨余垃圾中混有塑料袋',
    ...change,
  });
  const copyOf = async (id: string) =>
    (
      await enforcement().query(
        `SELECT compound_id AS "compoundId", floating_population AS "floatingPopulation", removed FROM household_copy WHERE id = $1`,
        [id],
      )
    )[0] as { compoundId: string; floatingPopulation: boolean; removed: boolean } | undefined;

  /** Refused with `code` (and `reason`), and nothing written: no case, no history, no idempotency record. */
  async function refused(token: string, variables: Record<string, unknown>, code: string, reason?: string): Promise<GraphQLResponse> {
    const before = await written();
    const response = await platform.query(token, OPEN, { key: `case-${randomUUID()}`, ...variables });
    expect([codeOf(response), reasonOf(response)]).toEqual([code, reason]);
    expect(await written()).toEqual(before);
    return response;
  }

  beforeAll(async () => {
    platform = await startPlatform({ streets: 2 });
    households = await seededHouseholds(platform);
    streetOne = platform.plan.streets[0].id;
    streetAdmin = await platform.token([Role.STREET_ADMIN], streetOne);
    // A household of street one whose community has another compound, where it was not found.
    ours = households.find(
      (h) =>
        h.compoundPath.includes(streetOne) && platform.plan.compounds.some((c) => c.parentId === h.communityId && c.id !== h.compoundId),
    )!;
  });

  afterAll(() => platform.stop());

  it('opens a case against a household of the territory with the floating population the registry records, not the one sent', async () => {
    for (const registered of [true, false]) {
      const household = households.find((h) => h.compoundPath.includes(streetOne) && h.floatingPopulation === registered)!;
      const response: any = await platform.query(streetAdmin, OPEN, {
        input: input(household, household.compoundId, { floatingPopulation: !registered }),
      });
      expect(response.errors).toBeUndefined();
      expect(response.data.openCase).toMatchObject({
        householdId: household.id,
        floatingPopulation: registered,
        orgUnit: { id: household.compoundId },
        state: 'OPENED',
      });
    }
    // Found anywhere in the household's community (a unit containing its compound) is fine too.
    const community: any = await platform.query(streetAdmin, OPEN, { input: input(ours, ours.communityId) });
    expect(community.errors).toBeUndefined();
    expect(community.data.openCase.orgUnit.id).toBe(ours.communityId);
  });

  it('refuses a household the registry does not know as NOT_FOUND', async () => {
    await refused(streetAdmin, { input: input({ id: randomUUID() }, ours.compoundId) }, 'NOT_FOUND');
  });

  it("refuses a household of another street as out of the officer's territory, even when found inside it", async () => {
    const theirs = households.find((h) => !h.compoundPath.includes(streetOne))!;
    await refused(streetAdmin, { input: input(theirs, ours.compoundId) }, 'FORBIDDEN', 'OUT_OF_SCOPE');
    await refused(streetAdmin, { input: input(theirs, theirs.compoundId) }, 'FORBIDDEN', 'OUT_OF_SCOPE');
  });

  it("refuses a case found at a place that is not the household's compound, nor contains it", async () => {
    const elsewhere = platform.plan.compounds.find((c) => c.parentId === ours.communityId && c.id !== ours.compoundId)!;
    const response = await refused(streetAdmin, { input: input(ours, elsewhere.id) }, 'BAD_USER_INPUT', 'LOCATION_NOT_HOUSEHOLDS');
    expect(response.errors![0].extensions!.details).toMatchObject({
      householdId: ours.id,
      orgUnitId: elsewhere.id,
      compoundId: ours.compoundId,
    });
  });

  it('follows households registered, moved and removed through the households API', async () => {
    const community = platform.plan.communities.find(
      (c) => platform.plan.compounds.filter((compound) => compound.parentId === c.id).length >= 2,
    )!;
    const [first, second] = platform.plan.compounds.filter((c) => c.parentId === community.id);
    const secretary = await platform.token([Role.COMMUNITY_SECRETARY], community.id);
    const officer = await platform.token([Role.BUREAU_OFFICER]);

    const registered: any = await platform.query(secretary, REGISTER, {
      input: { compoundId: first.id, building: 901, unit: 1, room: 101, tenure: 'TENANT', floatingPopulation: true },
    });
    expect(registered.errors).toBeUndefined();
    const id: string = registered.data.registerHousehold.id;
    await waitFor("the registered household in enforcement's copy", async () => (await copyOf(id))?.compoundId === first.id);
    const opened: any = await platform.query(officer, OPEN, { input: input({ id }, first.id, { floatingPopulation: false }) });
    expect(opened.errors).toBeUndefined();
    expect(opened.data.openCase).toMatchObject({ householdId: id, floatingPopulation: true });

    const moved: any = await platform.query(secretary, UPDATE, {
      id,
      input: { compoundId: second.id, building: 902, floatingPopulation: false },
    });
    expect(moved.errors).toBeUndefined();
    await waitFor("the move in enforcement's copy", async () => (await copyOf(id))?.compoundId === second.id);
    expect(await copyOf(id)).toEqual({ compoundId: second.id, floatingPopulation: false, removed: false });
    await refused(officer, { input: input({ id }, first.id) }, 'BAD_USER_INPUT', 'LOCATION_NOT_HOUSEHOLDS');
    const afterMove: any = await platform.query(officer, OPEN, { input: input({ id }, second.id) });
    expect(afterMove.errors).toBeUndefined();
    expect(afterMove.data.openCase).toMatchObject({ householdId: id, floatingPopulation: false, orgUnit: { id: second.id } });

    const removed: any = await platform.query(secretary, REMOVE, { id });
    expect(removed.errors).toBeUndefined();
    await waitFor("the removal in enforcement's copy", async () => (await copyOf(id))?.removed === true);
    await refused(officer, { input: input({ id }, second.id) }, 'NOT_FOUND');
    // Cases opened before the removal stay.
    const [{ count }] = await enforcement().query(`SELECT count(*)::int AS count FROM enforcement_case WHERE household_id = $1`, [id]);
    expect(count).toBe(2);
  });
});
