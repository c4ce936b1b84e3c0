import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { addMonths, shanghaiMonth } from '#libs/calendar';
import { ServiceName } from '#libs/messaging';
import { errorCodes } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';

const RESIDENTS = `query($id: ID!) { household(id: $id) { id residents { id name phone birthDate birthDatePrecision minor guardianConsent { guardianName } occupation occupationLabelZh personalDataMasked institution { id } } } }`;
const ADD = `mutation($h: ID!, $input: ResidentInput!) { addResident(householdId: $h, input: $input) { residents { name phone occupation } } }`;
const RECORD = `mutation($input: RecordInspectionInput!, $key: String!) { recordInspection(input: $input, idempotencyKey: $key) { id result issues issuesLabelZh month inspectorId } }`;

describe('the household registry and its evidence', () => {
  let platform: TestPlatform;
  let community: string;
  let household: string;
  let secretary: string;

  const db = () => platform.database(ServiceName.Households);
  const count = async (table: string) => (await db().query(`SELECT count(*)::int AS count FROM ${table}`))[0].count as number;

  beforeAll(async () => {
    platform = await startPlatform({ streets: 1, households: 40 });
    [{ household, community }] = await db().query(
      `SELECT h.id AS household, t.parent_id AS community FROM household h JOIN territory_unit t ON t.id = h.compound_id ORDER BY h.id LIMIT 1`,
    );
    secretary = await platform.token([Role.COMMUNITY_SECRETARY], community, 'secretary-r');
  });

  afterAll(() => platform.stop());

  it('registers a resident, and masks names and phones for roles that do not visit households', async () => {
    const added: any = await platform.query(secretary, ADD, {
      h: household,
      input: { name: '欧阳明月', phone: '138-1234-5678', occupation: 'RETIRED', birthDate: '1951-06-15' },
    });
    expect(added.errors).toBeUndefined();
    expect(added.data.addResident.residents).toContainEqual({ name: '欧阳明月', phone: '13812345678', occupation: 'RETIRED' });

    const streetAdmin = await platform.token([Role.STREET_ADMIN], platform.plan.streets[0].id);
    const masked: any = await platform.query(streetAdmin, RESIDENTS, { id: household });
    const resident = masked.data.household.residents.find((r: any) => r.name.startsWith('欧'));
    expect(resident).toMatchObject({
      name: '欧**月',
      phone: '138****5678',
      birthDate: null,
      birthDatePrecision: 'DAY',
      personalDataMasked: true,
      minor: false,
    });
    for (const r of masked.data.household.residents) {
      expect(r.personalDataMasked).toBe(true);
      expect(r.name).toMatch(/\*/);
    }

    const visible: any = await platform.query(secretary, RESIDENTS, { id: household });
    expect(visible.data.household.residents.find((r: any) => r.name === '欧阳明月')).toMatchObject({
      phone: '13812345678',
      birthDate: '1951-06-15',
    });
    const [audit] = await db().query(`SELECT user_id, entity FROM personal_data_access WHERE entity = 'Resident' ORDER BY id DESC LIMIT 1`);
    expect(audit).toEqual({ user_id: 'secretary-r', entity: 'Resident' });
  });

  it('refuses bad residents with coded errors and writes nothing', async () => {
    const before = await count('resident');
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '', occupation: 'OTHER', birthDate: '1980-01-01' }, 'INVALID_NAME'],
      [{ name: '李四', phone: '12345', occupation: 'OTHER', birthDate: '1980-01-01' }, 'INVALID_PHONE'],
      [{ name: '李四', occupation: 'OTHER', birthDate: '2999-01-01' }, 'FUTURE_BIRTH_DATE'],
      [
        { name: '李四', occupation: 'RETIRED', institutionId: platform.plan.institutions[0].id, birthDate: '1950-01-01' },
        'INSTITUTION_NOT_FOR_OCCUPATION',
      ],
    ];
    for (const [input, reason] of cases) {
      const response = await platform.query(secretary, ADD, { h: household, input });
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason });
    }
    expect(await count('resident')).toBe(before);
  });

  it('records an inspection once however often a phone retries it, and refuses the key for another body', async () => {
    const input = {
      householdId: household,
      kind: 'BAG_CHECK',
      result: 'FAIL',
      issues: ['BAG_NOT_BROKEN'],
      inspectedAt: new Date(Date.now() - 3600_000).toISOString(),
    };
    const key = `phone-${randomUUID()}`;
    const before = await count('inspection');
    const attempts: any[] = await Promise.all([1, 2, 3].map(() => platform.query(secretary, RECORD, { input, key })));
    const ids = new Set(attempts.map((attempt) => attempt.data.recordInspection.id));
    expect(ids.size).toBe(1);
    expect(attempts[0].data.recordInspection).toMatchObject({
      result: 'FAIL',
      issuesLabelZh: ['厨余垃圾未破袋'],
      month: shanghaiMonth(),
      inspectorId: 'secretary-r',
    });
    expect(await count('inspection')).toBe(before + 1);

    const reused = await platform.query(secretary, RECORD, { input: { ...input, result: 'MINOR_ISSUE' }, key });
    expect(reused.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await count('inspection')).toBe(before + 1);
  });

  it.each([
    ['an unknown household', { householdId: '00000000-0000-4000-8000-000000000009' }, 'NOT_FOUND', undefined],
    ['a time in the future', { inspectedAt: new Date(Date.now() + 3600_000).toISOString() }, 'BAD_USER_INPUT', 'FUTURE_DATE'],
    ['a pass with issues', { result: 'PASS', issues: ['OTHER'] }, 'BAD_USER_INPUT', 'ISSUES_ON_PASS'],
    ['a failure without issues', { result: 'FAIL', issues: [] }, 'BAD_USER_INPUT', 'ISSUE_REQUIRED'],
    ['a photo that was never uploaded', { photoIds: ['00000000-0000-4000-8000-00000000000a'] }, 'BAD_USER_INPUT', 'UNKNOWN_PHOTO'],
    ['a malformed idempotency key', { key: 'x' }, 'BAD_USER_INPUT', 'INVALID_IDEMPOTENCY_KEY'],
  ])('refuses an inspection of %s and writes nothing', async (_case, change, code, reason) => {
    const { key = randomUUID(), ...fields } = change as Record<string, unknown>;
    const input = {
      householdId: household,
      kind: 'PATROL',
      result: 'MINOR_ISSUE',
      issues: ['OTHER'],
      inspectedAt: new Date().toISOString(),
      ...fields,
    };
    const before = await count('inspection');
    const response = await platform.query(secretary, RECORD, { input, key });
    expect(errorCodes(response)).toEqual([code]);
    if (reason) expect(response.errors?.[0].extensions?.reason).toBe(reason);
    expect(await count('inspection')).toBe(before);
  });

  it("lets a resident read their own household's grade and why, and no one else's", async () => {
    const month = addMonths(shanghaiMonth(), -1);
    const GRADE = `query($h: ID!, $m: String!) { householdGrade(householdId: $h, month: $m) { status grade reasons { descriptionZh } } }`;
    const [other] = await db().query(`SELECT id FROM household WHERE id <> $1 ORDER BY id LIMIT 1`, [household]);
    const resident = await platform.token([Role.RESIDENT], community, 'resident-1', household);
    const own: any = await platform.query(resident, GRADE, { h: household, m: month });
    expect(own.errors).toBeUndefined();
    expect(own.data.householdGrade.reasons.length).toBeGreaterThan(0);
    expect(errorCodes(await platform.query(resident, GRADE, { h: other.id, m: month }))).toEqual(['FORBIDDEN']);
    // Their own household's record, its members named in clear (their own record), birth dates withheld as from other roles; no one else's.
    const record: any = await platform.query(resident, RESIDENTS, { id: household });
    expect(record.errors).toBeUndefined();
    expect(record.data.household.residents.length).toBeGreaterThan(0);
    expect(record.data.household.residents.every((r: any) => !r.name.includes('*') && r.birthDate === null && !r.personalDataMasked)).toBe(
      true,
    );
    expect(errorCodes(await platform.query(resident, RESIDENTS, { id: other.id }))).toEqual(['FORBIDDEN']);
  });

  it('records a commitment letter once per retry and refuses a signer from another household', async () => {
    const LETTER = `mutation($input: RecordCommitmentLetterInput!, $key: String!) { recordCommitmentLetter(input: $input, idempotencyKey: $key) { commitmentLetters { signedOn signerResidentId } } }`;
    const [signer] = await db().query(`SELECT id FROM resident WHERE household_id = $1 ORDER BY id LIMIT 1`, [household]);
    const [stranger] = await db().query(`SELECT id FROM resident WHERE household_id <> $1 LIMIT 1`, [household]);
    await db().query(`DELETE FROM commitment_letter WHERE household_id = $1`, [household]);
    const input = { householdId: household, signerResidentId: signer.id, signedOn: '2026-03-15' };
    const key = randomUUID();
    for (let attempt = 0; attempt < 2; attempt++) {
      const response: any = await platform.query(secretary, LETTER, { input, key });
      expect(response.data.recordCommitmentLetter.commitmentLetters).toEqual([{ signedOn: '2026-03-15', signerResidentId: signer.id }]);
    }
    const wrong = await platform.query(secretary, LETTER, {
      input: { ...input, signerResidentId: stranger.id, signedOn: '2026-03-16' },
      key: randomUUID(),
    });
    expect(wrong.errors?.[0].extensions?.reason).toBe('SIGNER_NOT_IN_HOUSEHOLD');
  });

  it('moves a household to another compound of the territory and removes one; refuses moves outside it or onto an occupied flat', async () => {
    const REGISTER = `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }`;
    const UPDATE = `mutation($id: ID!, $input: UpdateHouseholdInput!) { updateHousehold(id: $id, input: $input) { id building unit room compound { id } } }`;
    const REMOVE = `mutation($id: ID!) { removeHousehold(id: $id) }`;
    const { plan } = platform;
    const home = plan.communities.find((c) => plan.compounds.filter((compound) => compound.parentId === c.id).length >= 2)!;
    const [first, second] = plan.compounds.filter((c) => c.parentId === home.id);
    const elsewhere = plan.compounds.find((c) => c.parentId !== home.id)!;
    const homeSecretary = await platform.token([Role.COMMUNITY_SECRETARY], home.id, 'secretary-move');
    const register = async (compoundId: string, room: number) => {
      const response: any = await platform.query(homeSecretary, REGISTER, {
        input: { compoundId, building: 801, unit: 1, room, tenure: 'OWNER' },
      });
      expect(response.errors).toBeUndefined();
      return response.data.registerHousehold.id as string;
    };
    const mover = await register(first.id, 101);
    const neighbour = await register(second.id, 202);
    const whereIs = async (id: string) =>
      (await db().query(`SELECT compound_id AS "compoundId", room FROM household WHERE id = $1`, [id]))[0];

    const refusals: [Record<string, unknown>, string, string | undefined][] = [
      [{ compoundId: elsewhere.id }, 'FORBIDDEN', 'OUT_OF_SCOPE'],
      [{ compoundId: home.id }, 'BAD_USER_INPUT', 'NOT_A_COMPOUND'],
      [{ compoundId: second.id, room: 202 }, 'CONFLICT', 'DUPLICATE_ADDRESS'],
      [{ compoundId: second.id, room: 0 }, 'BAD_USER_INPUT', 'INVALID_ADDRESS'],
    ];
    for (const [input, code, reason] of refusals) {
      const response = await platform.query(homeSecretary, UPDATE, { id: mover, input });
      expect([errorCodes(response)[0], response.errors?.[0].extensions?.reason]).toEqual([code, reason]);
      expect(await whereIs(mover)).toEqual({ compoundId: first.id, room: 101 });
    }
    const moved: any = await platform.query(homeSecretary, UPDATE, { id: mover, input: { compoundId: second.id, room: 303 } });
    expect(moved.errors).toBeUndefined();
    expect(moved.data.updateHousehold).toEqual({ id: mover, building: 801, unit: 1, room: 303, compound: { id: second.id } });

    await db().query(
      `INSERT INTO resident (household_id, name, occupation, birth_date) VALUES ($1, '王五', 'RETIRED', DATE '1950-01-01')`,
      [neighbour],
    );
    const outsider = await platform.token([Role.COMMUNITY_SECRETARY], elsewhere.parentId, 'secretary-elsewhere');
    expect(errorCodes(await platform.query(outsider, REMOVE, { id: neighbour }))).toEqual(['FORBIDDEN']);
    const removed: any = await platform.query(homeSecretary, REMOVE, { id: neighbour });
    expect(removed.data).toEqual({ removeHousehold: neighbour });
    expect(await whereIs(neighbour)).toBeUndefined();
    expect(await db().query(`SELECT id FROM resident WHERE household_id = $1`, [neighbour])).toEqual([]);
    expect(errorCodes(await platform.query(homeSecretary, REMOVE, { id: neighbour }))).toEqual(['NOT_FOUND']);

    // A household with inspections stays: they explain its grades and may be a case's evidence.
    const [inspected] = await db().query(
      `SELECT h.id, t.parent_id AS community FROM household h JOIN territory_unit t ON t.id = h.compound_id
        WHERE EXISTS (SELECT 1 FROM inspection i WHERE i.household_id = h.id) LIMIT 1`,
    );
    const itsSecretary = await platform.token([Role.COMMUNITY_SECRETARY], inspected.community, 'secretary-evidence');
    const refused = await platform.query(itsSecretary, REMOVE, { id: inspected.id });
    expect([errorCodes(refused)[0], refused.errors?.[0].extensions?.reason]).toEqual(['CONFLICT', 'HAS_EVIDENCE']);
    expect(await whereIs(inspected.id)).toBeDefined();
  });

  it("checks a resident's employer or school against organization's institutions: known, and of the kind the occupation goes with", async () => {
    const UPDATE = `mutation($id: ID!, $input: ResidentInput!) { updateResident(id: $id, input: $input) { id } }`;
    const ofKind = (kind: string) => platform.plan.institutions.find((institution) => institution.kind === kind)!.id;
    const [media, school, employer, department] = ['MEDIA', 'SCHOOL', 'EMPLOYER', 'DEPARTMENT'].map(ofKind);
    // households' copy follows organization's institutions through their events.
    expect(await count('institution_copy')).toBe(platform.plan.institutions.length);
    // The seeded residents all name institutions their occupation goes with.
    const [{ unfit }] = await db().query(
      `SELECT count(*)::int AS unfit FROM resident r LEFT JOIN institution_copy i ON i.id = r.institution_id
        WHERE r.institution_id IS NOT NULL AND (i.id IS NULL OR NOT (r.occupation = 'EMPLOYED' AND i.kind IN ('EMPLOYER', 'DEPARTMENT')
                                                               OR r.occupation = 'STUDENT' AND i.kind = 'SCHOOL'))`,
    );
    expect(unfit).toBe(0);

    const before = await count('resident');
    const refusals: [Record<string, unknown>, string][] = [
      [{ name: '周记者', occupation: 'EMPLOYED', institutionId: media, birthDate: '1985-05-01' }, 'WRONG_INSTITUTION_KIND'],
      [{ name: '周同学', occupation: 'STUDENT', institutionId: media, birthDate: '2012-05-01' }, 'WRONG_INSTITUTION_KIND'],
      [{ name: '周同学', occupation: 'STUDENT', institutionId: employer, birthDate: '2012-05-01' }, 'WRONG_INSTITUTION_KIND'],
      [{ name: '周老师', occupation: 'EMPLOYED', institutionId: randomUUID(), birthDate: '1985-05-01' }, 'UNKNOWN_INSTITUTION'],
    ];
    for (const [input, reason] of refusals) {
      const response = await platform.query(secretary, ADD, { h: household, input });
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason });
      expect(response.errors?.[0].message).toMatch(/institution/i);
    }
    expect(await count('resident')).toBe(before);

    for (const input of [
      { name: '周工', occupation: 'EMPLOYED', institutionId: employer, birthDate: '1985-05-01' },
      { name: '周科员', occupation: 'EMPLOYED', institutionId: department, birthDate: '1986-05-01' },
      { name: '周小明', occupation: 'STUDENT', institutionId: school, birthDate: '2012-05-01' },
    ]) {
      expect((await platform.query(secretary, ADD, { h: household, input })).errors).toBeUndefined();
    }
    const [pupil] = await db().query(`SELECT id FROM resident WHERE household_id = $1 AND name = '周小明'`, [household]);
    const moved = await platform.query(secretary, UPDATE, {
      id: pupil.id,
      input: { name: '周小明', occupation: 'STUDENT', institutionId: media, birthDate: '2012-05-01' },
    });
    expect(moved.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'WRONG_INSTITUTION_KIND' });
    expect(await db().query(`SELECT institution_id AS "institutionId" FROM resident WHERE id = $1`, [pupil.id])).toEqual([
      { institutionId: school },
    ]);
    const hired = await platform.query(secretary, UPDATE, {
      id: pupil.id,
      input: { name: '周小明', occupation: 'EMPLOYED', institutionId: employer, birthDate: '2000-05-01' },
    });
    expect(hired.errors).toBeUndefined();
    expect(await db().query(`SELECT institution_id AS "institutionId" FROM resident WHERE id = $1`, [pupil.id])).toEqual([
      { institutionId: employer },
    ]);
  });
});
