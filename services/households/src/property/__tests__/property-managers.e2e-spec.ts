import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { addMonths, shanghaiMonth } from '#libs/calendar';
import type { PlanUnit } from '#libs/demo-data';
import { ServiceName } from '#libs/messaging';
import { fieldOf, waitFor, type GraphQLResponse } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';

const REQUEST = `mutation($input: RequestDoorToDoorCollectionInput!, $key: String!) {
  requestDoorToDoorCollection(input: $input, idempotencyKey: $key) { id status propertyCompany { id } } }`;
const UPDATE_REQUEST = `mutation($id: ID!, $status: DoorToDoorCollectionStatus!, $note: String) {
  updateDoorToDoorCollection(id: $id, status: $status, note: $note) { id status history { toStatus changedBy } } }`;
const GET_REQUEST = `query($id: ID!) { doorToDoorCollection(id: $id) { id status } }`;
const REQUESTS = `query { doorToDoorCollections(first: 500) { edges { node { id compound { id } propertyCompany { id } } } } }`;
const RECORD_PERSON = `mutation($input: RecordPropertyResponsiblePersonInput!) {
  recordPropertyResponsiblePerson(input: $input) { compound { id } propertyCompany { id } name phone masked recordedBy } }`;
const PERSONS = `query($org: ID) { propertyResponsiblePersons(orgUnitId: $org, first: 100) {
  edges { node { compound { id } propertyCompany { id } name phone masked } } } }`;
const OPEN_CASE = `mutation($input: OpenCaseInput!) { openCase(input: $input) { id institution { id } } }`;
const CASES = `query { cases(first: 500) { edges { node { id targetKind institution { id } } } } }`;
const CASE = `query($id: ID!) { case(id: $id) { id } }`;
const ASSESSMENT_OF = `query($id: ID!, $month: String!, $street: ID) {
  propertyCompanyAssessmentOf(institutionId: $id, month: $month, streetId: $street) {
    institutionId street { id } score ruleSetVersion weights { cases rectification compoundPassRate citizenReports }
    parts { cases rectification compoundPassRate citizenReports }
    casesOpened casesNotRectified casesRectified casesPenalised householdsGraded householdsPassed citizenReports cases { id } } }`;
const CREATE_RULES = `mutation($input: CreatePropertyAssessmentRuleSetInput!) {
  createPropertyAssessmentRuleSet(input: $input) { id streetId version effectiveFrom weights { cases rectification compoundPassRate citizenReports } } }`;
const RULES = `query($street: ID) { propertyAssessmentRuleSets(streetId: $street, first: 50) { edges { node { streetId version } } } }`;

/** A Shanghai date `days` from today. */
const shanghaiDate = (days = 0) => new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
const errorOf = (response: GraphQLResponse) => [response.errors?.[0]?.extensions?.code, response.errors?.[0]?.extensions?.reason];

describe('property managers (物业管理人员) through the gateway', () => {
  let platform: TestPlatform;
  let streetA: PlanUnit;
  let streetB: PlanUnit;
  /** Company X manages compound X (in street A); compound Y is managed by another company. */
  let company: string;
  let otherCompany: string;
  let compoundX: { id: string; communityId: string };
  let compoundY: { id: string; communityId: string };
  let householdX: string;
  let householdY: string;
  let manager: string;
  let officer: string;
  let streetAdminA: string;

  const households = () => platform.database(ServiceName.Households);
  const enforcement = () => platform.database(ServiceName.Enforcement);

  const ok = (token: string, query: string, variables: Record<string, unknown> = {}) => fieldOf(platform.query(token, query, variables));

  beforeAll(async () => {
    platform = await startPlatform({ streets: 2, households: 240 });
    [streetA, streetB] = platform.plan.streets;
    // A company and one of its compounds in street A, and a compound of street A where no household names it.
    const [x] = await households().query(
      `SELECT h.property_company_id AS company, h.compound_id AS compound, t.parent_id AS community, min(h.id::text) AS household
         FROM household h JOIN territory_unit t ON t.id = h.compound_id
        WHERE t.path @> ARRAY[$1::uuid] AND h.property_company_id IS NOT NULL
        GROUP BY 1, 2, 3 ORDER BY 2 LIMIT 1`,
      [streetA.id],
    );
    const [y] = await households().query(
      `SELECT h.property_company_id AS company, h.compound_id AS compound, t.parent_id AS community, min(h.id::text) AS household
         FROM household h JOIN territory_unit t ON t.id = h.compound_id
        WHERE t.path @> ARRAY[$1::uuid] AND h.property_company_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM household o WHERE o.compound_id = h.compound_id AND o.property_company_id = $2)
        GROUP BY 1, 2, 3 ORDER BY 2 LIMIT 1`,
      [streetA.id, x.company],
    );
    company = x.company;
    otherCompany = y.company;
    compoundX = { id: x.compound, communityId: x.community };
    compoundY = { id: y.compound, communityId: y.community };
    householdX = x.household;
    householdY = y.household;
    // The token names the company (claim institutionId) and no org unit.
    manager = await platform.token([Role.PROPERTY_MANAGER], null, 'pm-x', null, company);
    officer = await platform.token([Role.BUREAU_OFFICER], null, 'officer-1');
    streetAdminA = await platform.token([Role.STREET_ADMIN], streetA.id, 'street-a');
  }, 300_000);

  afterAll(() => platform.stop());

  it("handles the door-to-door requests of its company's compounds and is refused another compound's", async () => {
    const request = async (household: string, communityId: string, key: string) => {
      const secretary = await platform.token([Role.COMMUNITY_SECRETARY], communityId, `secretary-${key}`);
      return ok(secretary, REQUEST, {
        input: { householdId: household, wasteStreams: ['RECYCLABLE'], preferredDate: shanghaiDate(1) },
        key,
      });
    };
    const ours = await request(householdX, compoundX.communityId, 'pm-request-x');
    const theirs = await request(householdY, compoundY.communityId, 'pm-request-y');
    expect(ours.propertyCompany.id).toBe(company);

    const listed = (await ok(manager, REQUESTS)).edges.map((e: any) => e.node);
    expect(listed.map((node: any) => node.id)).toContain(ours.id);
    expect(listed.map((node: any) => node.id)).not.toContain(theirs.id);
    expect(listed.every((node: any) => node.propertyCompany?.id === company)).toBe(true);

    await ok(manager, UPDATE_REQUEST, { id: ours.id, status: 'ACCEPTED' });
    const done = await ok(manager, UPDATE_REQUEST, { id: ours.id, status: 'COMPLETED', note: '已上门收运可回收物' });
    expect(done.status).toBe('COMPLETED');
    expect(done.history.map((h: any) => [h.toStatus, h.changedBy])).toEqual([
      ['REQUESTED', 'secretary-pm-request-x'],
      ['ACCEPTED', 'pm-x'],
      ['COMPLETED', 'pm-x'],
    ]);

    expect(errorOf(await platform.query(manager, UPDATE_REQUEST, { id: theirs.id, status: 'ACCEPTED' }))).toEqual([
      'FORBIDDEN',
      'OUT_OF_SCOPE',
    ]);
    expect(errorOf(await platform.query(manager, GET_REQUEST, { id: theirs.id }))).toEqual(['FORBIDDEN', 'OUT_OF_SCOPE']);
    const [row] = await households().query(`SELECT status FROM door_to_door_collection WHERE id = $1`, [theirs.id]);
    expect(row.status).toBe('REQUESTED');
  });

  it("records its compound's responsible person, replaces them, and shows them masked to a role without personal-data access", async () => {
    const input = { compoundId: compoundX.id, name: '王建国', phone: '13812345678' };
    expect(await ok(manager, RECORD_PERSON, { input })).toEqual({
      compound: { id: compoundX.id },
      propertyCompany: { id: company },
      name: '王建国',
      phone: '13812345678',
      masked: false,
      recordedBy: 'pm-x',
    });
    await ok(manager, RECORD_PERSON, { input: { ...input, name: '李春华', phone: '13900001111' } });

    const elsewhere = await platform.query(manager, RECORD_PERSON, { input: { ...input, compoundId: compoundY.id } });
    expect(errorOf(elsewhere)).toEqual(['FORBIDDEN', 'OUT_OF_SCOPE']);
    expect(errorOf(await platform.query(manager, RECORD_PERSON, { input: { ...input, phone: '12345' } }))).toEqual([
      'BAD_USER_INPUT',
      'INVALID_PHONE',
    ]);
    expect(await households().query(`SELECT compound_id AS id, name, phone FROM property_responsible_person ORDER BY compound_id`)).toEqual(
      [{ id: compoundX.id, name: '李春华', phone: '13900001111' }],
    );

    // A street administrator reads no personal data: masked. The community secretary and the manager read it in clear.
    expect((await ok(streetAdminA, PERSONS, { org: compoundX.id })).edges.map((e: any) => e.node)).toEqual([
      { compound: { id: compoundX.id }, propertyCompany: { id: company }, name: '李*华', phone: '139****1111', masked: true },
    ]);
    const secretary = await platform.token([Role.COMMUNITY_SECRETARY], compoundX.communityId);
    expect((await ok(secretary, PERSONS)).edges.map((e: any) => e.node.name)).toEqual(['李春华']);
    expect((await ok(manager, PERSONS)).edges.map((e: any) => [e.node.compound.id, e.node.phone])).toEqual([[compoundX.id, '13900001111']]);
    // Street B sees none of street A's.
    const streetAdminB = await platform.token([Role.STREET_ADMIN], streetB.id);
    expect((await ok(streetAdminB, PERSONS)).edges).toEqual([]);
  });

  it("reads its own company's cases and assessment, not another company's", async () => {
    const open = (institutionId: string, orgUnitId: string) =>
      ok(officer, OPEN_CASE, {
        input: {
          targetKind: 'PROPERTY_COMPANY',
          institutionId,
          orgUnitId,
          articleCode: 'NB-WASTE-61',
          evidenceDescription: '小区分类垃圾桶配置不全',
        },
      });
    const ours = await open(company, compoundX.id);
    const theirs = await open(otherCompany, compoundY.id);
    const listed = (await ok(manager, CASES)).edges.map((e: any) => e.node);
    expect(listed.map((node: any) => node.id)).toContain(ours.id);
    expect(listed.every((node: any) => node.targetKind === 'PROPERTY_COMPANY' && node.institution.id === company)).toBe(true);
    expect((await ok(manager, CASE, { id: ours.id })).id).toBe(ours.id);
    expect(errorOf(await platform.query(manager, CASE, { id: theirs.id }))).toEqual(['FORBIDDEN', 'OUT_OF_SCOPE']);

    const month = shanghaiMonth();
    const own = await ok(manager, ASSESSMENT_OF, { id: company, month, street: streetA.id });
    expect(own.cases.map((c: any) => c.id)).toContain(ours.id);
    expect(errorOf(await platform.query(manager, ASSESSMENT_OF, { id: otherCompany, month, street: streetA.id }))).toEqual([
      'FORBIDDEN',
      'OUT_OF_SCOPE',
    ]);
    // Staff of another street assess the company on their street's records only.
    const streetAdminB = await platform.token([Role.STREET_ADMIN], streetB.id);
    const fromB = await ok(streetAdminB, ASSESSMENT_OF, { id: company, month });
    expect(fromB.street?.id ?? null).not.toBe(streetA.id);
    expect(fromB.cases.map((c: any) => c.id)).not.toContain(ours.id);
  });

  it("reads the pass rate of the company's compounds from households' graded months", async () => {
    const month = addMonths(shanghaiMonth(), -1);
    const [expected] = await households().query(
      `SELECT count(*) FILTER (WHERE g.status = 'GRADED')::int AS graded,
              count(*) FILTER (WHERE g.grade IN ('QUALIFIED', 'BASICALLY_QUALIFIED'))::int AS passed
         FROM monthly_grade g JOIN household h ON h.id = g.household_id JOIN territory_unit t ON t.id = h.compound_id
        WHERE g.month = $1 AND h.property_company_id = $2 AND t.path @> ARRAY[$3::uuid]`,
      [`${month}-01`, company, streetA.id],
    );
    expect(expected.graded).toBeGreaterThan(0);
    const assessed = await waitFor('the graded month to reach enforcement', async () => {
      const row = await ok(streetAdminA, ASSESSMENT_OF, { id: company, month, street: streetA.id });
      return row.householdsGraded > 0 && row;
    });
    expect([assessed.householdsGraded, assessed.householdsPassed]).toEqual([expected.graded, expected.passed]);
    expect(assessed.parts.compoundPassRate).toBeCloseTo((100 * expected.passed) / expected.graded, 1);
  });

  it('scores the company under the weights its street publishes as a new version, and refuses weights that do not sum to 1', async () => {
    const month = shanghaiMonth();
    const before = await ok(streetAdminA, ASSESSMENT_OF, { id: company, month, street: streetA.id });
    expect(before.ruleSetVersion).toBe(1);
    expect(before.weights).toEqual({ cases: 1, rectification: 0, compoundPassRate: 0, citizenReports: 0 });
    expect(before.score).toBe(Math.round(before.parts.cases));

    const rulesBefore = (await enforcement().query(`SELECT count(*)::int AS count FROM property_assessment_rule_set`))[0].count;
    const input = (weights: Record<string, number>) => ({
      input: { streetId: streetA.id, effectiveFrom: month, description: '街道物业考核办法修订', weights },
    });
    const uneven = await platform.query(
      streetAdminA,
      CREATE_RULES,
      input({ cases: 0.5, rectification: 0.2, compoundPassRate: 0.2, citizenReports: 0.2 }),
    );
    expect(errorOf(uneven)).toEqual(['BAD_USER_INPUT', 'WEIGHTS_DO_NOT_SUM_TO_ONE']);
    const negative = await platform.query(
      streetAdminA,
      CREATE_RULES,
      input({ cases: 1.2, rectification: -0.2, compoundPassRate: 0, citizenReports: 0 }),
    );
    expect(errorOf(negative)).toEqual(['BAD_USER_INPUT', 'INVALID_WEIGHT']);
    const streetAdminB = await platform.token([Role.STREET_ADMIN], streetB.id);
    const foreign = await platform.query(
      streetAdminB,
      CREATE_RULES,
      input({ cases: 0.4, rectification: 0.2, compoundPassRate: 0.2, citizenReports: 0.2 }),
    );
    expect(errorOf(foreign)).toEqual(['FORBIDDEN', 'OUT_OF_SCOPE']);
    expect((await enforcement().query(`SELECT count(*)::int AS count FROM property_assessment_rule_set`))[0].count).toBe(rulesBefore);

    const weights = { cases: 0.4, rectification: 0.1, compoundPassRate: 0.3, citizenReports: 0.2 };
    const published = await ok(streetAdminA, CREATE_RULES, input(weights));
    expect(published).toMatchObject({ streetId: streetA.id, version: 2, effectiveFrom: month, weights });
    expect((await ok(streetAdminB, RULES, { street: streetA.id })).edges.map((e: any) => e.node)).toEqual([
      { streetId: streetA.id, version: 2 },
      { streetId: null, version: 1 },
    ]);

    // The same month now scores by the street's new weights; its parts (and what they count) are unchanged.
    const after = await ok(manager, ASSESSMENT_OF, { id: company, month, street: streetA.id });
    expect(after).toMatchObject({
      ruleSetVersion: 2,
      weights,
      parts: before.parts,
      casesOpened: before.casesOpened,
      citizenReports: before.citizenReports,
    });
    expect(after.parts.cases).toBe(Math.max(0, 100 - 2 * after.casesOpened - 5 * after.casesNotRectified - 10 * after.casesPenalised));
    expect(after.parts.citizenReports).toBe(Math.max(0, 100 - 5 * after.citizenReports));
    const { parts } = after;
    expect(after.score).toBe(
      Math.round(0.4 * parts.cases + 0.1 * parts.rectification + 0.3 * parts.compoundPassRate + 0.2 * parts.citizenReports),
    );
    expect(after.score).not.toBe(before.score);
  });
});
