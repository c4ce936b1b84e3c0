import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { ServiceName } from '#libs/messaging';
import { errorCodes } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';

const CAMPAIGNS = `query($org: ID, $state: CampaignState) {
  campaigns(orgUnitId: $org, state: $state, first: 100) {
    totalCount edges { node { id name kind labelZh state startsOn endsOn targetUnits { id name } leadBureau { name } participatingBureaus { name } } }
  }
}`;
const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id name state startsOn endsOn targetUnits { name } } }`;

describe('enforcement campaigns through the gateway', () => {
  let platform: TestPlatform;
  let bureaus: string[];

  const campaignCount = async () => {
    const [{ count }] = await platform.database(ServiceName.Enforcement).query(`SELECT count(*)::int AS count FROM campaign`);
    return count as number;
  };

  beforeAll(async () => {
    platform = await startPlatform();
    bureaus = platform.plan.institutions.filter((i) => i.kind === 'DEPARTMENT').map((i) => i.id);
  });

  afterAll(() => platform.stop());

  it("shows a street administrator their street's quarterly joint actions and the district-wide campaign only", async () => {
    const [streetA, streetB] = platform.plan.streets;
    const token = await platform.token([Role.STREET_ADMIN], streetA.id);
    const response: any = await platform.query(token, CAMPAIGNS);
    expect(response.errors).toBeUndefined();
    const campaigns = response.data.campaigns.edges.map((e: any) => e.node);
    const targets = new Set(campaigns.flatMap((c: any) => c.targetUnits.map((t: any) => t.id)));
    expect(targets).toEqual(new Set([streetA.id, platform.plan.district.id]));
    expect(campaigns.filter((c: any) => c.kind === 'QUARTERLY_JOINT_ACTION')).toHaveLength(4);
    expect(campaigns.find((c: any) => c.kind === 'CLEAN_ORDERLY')).toMatchObject({
      labelZh: '潔美有序行动',
      leadBureau: { name: '鄞州区综合行政执法局' },
    });
    expect(campaigns.every((c: any) => !c.targetUnits.some((t: any) => t.id === streetB.id))).toBe(true);
  });

  it('creates a campaign as a draft over units of the caller', async () => {
    const street = platform.plan.streets[0];
    const token = await platform.token([Role.STREET_ADMIN], street.id);
    const community = platform.plan.communities.find((c) => c.parentId === street.id)!;
    const response: any = await platform.query(token, CREATE, {
      input: {
        kind: 'SPECIAL_ACTION',
        name: '春节前垃圾分类专项行动',
        startsOn: '2027-01-10',
        endsOn: '2027-02-10',
        targetUnitIds: [community.id],
        participatingBureauIds: bureaus.slice(0, 2),
        leadBureauId: bureaus[0],
      },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data.createCampaign).toMatchObject({
      state: 'DRAFT',
      startsOn: '2027-01-10',
      endsOn: '2027-02-10',
      targetUnits: [{ name: community.name }],
    });
  });

  it.each([
    ['an end before the start', { startsOn: '2027-03-01', endsOn: '2027-02-01' }, 'BAD_USER_INPUT', 'ENDS_BEFORE_START'],
    ['a date that does not exist', { startsOn: '2027-02-30' }, 'BAD_USER_INPUT', 'INVALID_DATE'],
    ['no target', { targetUnitIds: [] }, 'BAD_USER_INPUT', 'NO_TARGET'],
    [
      'a lead bureau that does not take part',
      { leadBureauId: '00000000-0000-4000-8000-000000000001' },
      'BAD_USER_INPUT',
      'LEAD_NOT_PARTICIPATING',
    ],
    ['an unknown target unit', { targetUnitIds: ['00000000-0000-4000-8000-000000000002'] }, 'NOT_FOUND', undefined],
  ])('refuses %s and writes nothing', async (_case, change, code, reason) => {
    const token = await platform.token([Role.DISTRICT_ADMIN]);
    const before = await campaignCount();
    const response = await platform.query(token, CREATE, {
      input: {
        kind: 'SPECIAL_ACTION',
        name: '专项行动',
        startsOn: '2027-01-01',
        endsOn: '2027-01-31',
        targetUnitIds: [platform.plan.streets[0].id],
        participatingBureauIds: bureaus.slice(0, 1),
        ...change,
      },
    });
    expect(errorCodes(response)).toEqual([code]);
    if (reason) expect(response.errors![0].extensions!.reason).toBe(reason);
    expect(await campaignCount()).toBe(before);
  });

  it("refuses a street administrator's campaign over another street", async () => {
    const [streetA, streetB] = platform.plan.streets;
    const token = await platform.token([Role.STREET_ADMIN], streetA.id);
    const before = await campaignCount();
    const response = await platform.query(token, CREATE, {
      input: {
        kind: 'SPECIAL_ACTION',
        name: '越界行动',
        startsOn: '2027-01-01',
        endsOn: '2027-01-31',
        targetUnitIds: [streetB.id],
        participatingBureauIds: [],
      },
    });
    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    expect(await campaignCount()).toBe(before);
  });

  it('keeps inspectors, who have no campaign permission, out', async () => {
    const token = await platform.token([Role.INSPECTOR], platform.plan.communities[0].id);
    expect(errorCodes(await platform.query(token, CAMPAIGNS))).toEqual(['FORBIDDEN']);
  });
});
