import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { addDays, shanghaiDate, shanghaiMonth } from '#libs/calendar';
import { ServiceName } from '#libs/messaging';
import { seededHouseholds, startPlatform, type GraphQLResponse, type SeededHousehold, type TestPlatform } from '#libs/testing';

const CREATE_TEAM = `mutation($streetId: ID!, $name: String!) { createObserverTeam(streetId: $streetId, name: $name) { id name street { id } } }`;
const APPOINT = `mutation($input: AppointObserverInput!) {
  appointObserver(input: $input) { id userId termFrom termTo serving team { id name } } }`;
const END_TERM = `mutation($id: ID!, $lastDay: LocalDate!) { endObserverTerm(id: $id, lastDay: $lastDay) { id termTo serving } }`;
const ROSTER = `query($streetId: ID, $servingOn: LocalDate) {
  citizenObservers(streetId: $streetId, servingOn: $servingOn, first: 50) { totalCount edges { node { id userId serving team { name } } } } }`;
const REPORT_FIELDS = `id channel status verified verifiedAt evidenceKind observer { id userId team { id name } }
  evidenceCase { id householdId } history { action fromStatus toStatus actor }`;
const SUBMIT = `mutation($input: SubmitReportInput!) { submitReport(input: $input) { ${REPORT_FIELDS} } }`;
const VERIFY = `mutation($id: ID!, $note: String) { verifyReport(id: $id, note: $note) { ${REPORT_FIELDS} } }`;
const REJECT = `mutation($id: ID!, $note: String) { rejectReport(id: $id, note: $note) { id status } }`;
const REPORT = `query($id: ID!) { report(id: $id) { ${REPORT_FIELDS} } }`;
const OPEN = `mutation($input: OpenCaseInput!) {
  openCase(input: $input) { id state householdId citizenReportId citizenReport { id channel verified } evidence { description } } }`;
const SUMMARY = `query($streetId: ID!, $month: String!) {
  observerSummary(streetId: $streetId, month: $month) {
    month street { id } reports verified verifiedShare evidence observersServing
    teams { team { name } reports verified verifiedShare evidence observersServing }
    observers(first: 50) { totalCount edges { node { observer { userId } reports verified verifiedShare evidence } } }
  }
}`;

const reasonOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.reason;
const codeOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.code;

/**
 * The citizen observer group (市民观察团) through the gateway: a street keeps its roster, an observer's report is
 * attributed to them, staff verify it and open a case from it, and the street's monthly summary counts it.
 */
describe('citizen observers through the gateway', () => {
  let platform: TestPlatform;
  let streetA: string;
  let streetB: string;
  let home: SeededHousehold;
  let elsewhere: SeededHousehold;
  let streetAdminA: string;
  let streetAdminB: string;
  let observer: string;
  let resident: string;
  let team: { id: string; name: string };
  const today = shanghaiDate();

  const enforcement = () => platform.database(ServiceName.Enforcement);
  const written = async () => {
    const [row] = await enforcement().query(
      `SELECT (SELECT count(*) FROM enforcement_case)::int AS cases, (SELECT count(*) FROM citizen_report)::int AS reports,
              (SELECT count(*) FROM citizen_observer)::int AS observers, (SELECT count(*) FROM citizen_report WHERE evidence_kind IS NOT NULL)::int AS evidence`,
    );
    return row as Record<string, number>;
  };
  /** Refused with `code` and `reason`, and nothing written. */
  async function refused(token: string, document: string, variables: Record<string, unknown>, code: string, reason: string): Promise<void> {
    const before = await written();
    const response = await platform.query(token, document, variables);
    expect([codeOf(response), reasonOf(response)]).toEqual([code, reason]);
    expect(await written()).toEqual(before);
  }
  const observerReport = (change: Record<string, unknown> = {}) => ({
    input: { channel: 'OBSERVER', categoryCode: 'MIXED_WASTE', description: '3号楼桶边其他垃圾桶里混有大量厨余', compoundId: home.compoundId, ...change },
  });
  const caseFrom = (reportId: string, change: Record<string, unknown> = {}) => ({
    input: {
      targetKind: 'HOUSEHOLD', householdId: home.id, orgUnitId: home.compoundId, articleCode: 'NB-WASTE-63-1',
      evidenceDescription: '观察员举报经核实：厨余垃圾混投', citizenReportId: reportId, ...change,
    },
  });

  beforeAll(async () => {
    platform = await startPlatform({ streets: 2 });
    [streetA, streetB] = platform.plan.streets.map((street) => street.id);
    const households = await seededHouseholds(platform);
    home = households.find((h) => h.compoundPath.includes(streetA))!;
    elsewhere = households.find((h) => h.compoundPath.includes(streetB))!;
    streetAdminA = await platform.token([Role.STREET_ADMIN], streetA, 'street-admin-a');
    streetAdminB = await platform.token([Role.STREET_ADMIN], streetB, 'street-admin-b');
    // An observer is a resident like any other, signed in with their own account; the roster names that account.
    observer = await platform.token([Role.RESIDENT], home.compoundId, 'observer-li', home.id);
    resident = await platform.token([Role.RESIDENT], home.compoundId, 'resident-zhao', home.id);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('keeps a street\'s roster: teams, terms that never overlap for one account, only inside the street', async () => {
    const created: any = await platform.query(streetAdminA, CREATE_TEAM, { streetId: streetA, name: '第一观察小组' });
    expect(created.errors).toBeUndefined();
    team = created.data.createObserverTeam;
    expect(created.data.createObserverTeam).toMatchObject({ name: '第一观察小组', street: { id: streetA } });
    const twice = await platform.query(streetAdminA, CREATE_TEAM, { streetId: streetA, name: '第一观察小组' });
    expect([codeOf(twice), reasonOf(twice)]).toEqual(['CONFLICT', 'DUPLICATE_NAME']);
    const otherStreet = await platform.query(streetAdminB, CREATE_TEAM, { streetId: streetA, name: '越界小组' });
    expect([codeOf(otherStreet), reasonOf(otherStreet)]).toEqual(['FORBIDDEN', 'OUT_OF_SCOPE']);

    const term = { observerTeamId: team.id, userId: 'observer-li', termFrom: addDays(today, -30), termTo: addDays(today, 335) };
    const appointed: any = await platform.query(streetAdminA, APPOINT, { input: term });
    expect(appointed.errors).toBeUndefined();
    expect(appointed.data.appointObserver).toMatchObject({ userId: 'observer-li', serving: true, team: { name: '第一观察小组' } });

    // One account serves in one team at a time; bad terms and other streets' staff are refused, writing nothing.
    await refused(streetAdminA, APPOINT, { input: { ...term, termFrom: addDays(today, 300), termTo: addDays(today, 700) } }, 'CONFLICT', 'TERM_OVERLAPS');
    await refused(streetAdminA, APPOINT, { input: { ...term, userId: 'observer-wu', termTo: addDays(today, -31) } }, 'BAD_USER_INPUT', 'ENDS_BEFORE_START');
    await refused(streetAdminB, APPOINT, { input: { ...term, userId: 'observer-wu' } }, 'FORBIDDEN', 'OUT_OF_SCOPE');

    // A second observer whose term ends today: serving now, gone from tomorrow's roster.
    const second: any = await platform.query(streetAdminA, APPOINT, { input: { ...term, userId: 'observer-wu' } });
    const ended: any = await platform.query(streetAdminA, END_TERM, { id: second.data.appointObserver.id, lastDay: today });
    expect(ended.data.endObserverTerm).toMatchObject({ termTo: today, serving: true });
    const tomorrow: any = await platform.query(streetAdminA, ROSTER, { streetId: streetA, servingOn: addDays(today, 1) });
    expect(tomorrow.data.citizenObservers.edges.map((e: any) => e.node.userId)).toEqual(['observer-li']);
    const seenFromB: any = await platform.query(streetAdminB, ROSTER, {});
    expect(seenFromB.data.citizenObservers.totalCount).toBe(0);
  });

  it('attributes an observer\'s report to them, verified by staff and turned into a case linked to the report, once, and counts it in the month', async () => {
    const filed: any = await platform.query(observer, SUBMIT, observerReport());
    expect(filed.errors).toBeUndefined();
    const report = filed.data.submitReport;
    expect(report).toMatchObject({
      channel: 'OBSERVER', status: 'SUBMITTED', verified: false, evidenceKind: null,
      observer: { userId: 'observer-li', team: { id: team.id, name: '第一观察小组' } },
    });
    // A second report of the month that staff will not verify, and one they reject.
    const unverified: any = await platform.query(observer, SUBMIT, observerReport({ categoryCode: 'BAG_DUMPED', description: '楼道口两袋垃圾' }));
    const rejected: any = await platform.query(observer, SUBMIT, observerReport({ categoryCode: 'BIN_OVERFLOW', description: '桶满溢' }));
    expect((await platform.query(streetAdminA, REJECT, { id: rejected.data.submitReport.id, note: '现场核查无此情况' })).errors).toBeUndefined();

    // Only an account serving on the roster files OBSERVER reports, about a compound of its own street.
    await refused(resident, SUBMIT, observerReport(), 'FORBIDDEN', 'NOT_AN_OBSERVER');
    await refused(observer, SUBMIT, observerReport({ compoundId: elsewhere.compoundId }), 'BAD_USER_INPUT', 'OUTSIDE_OBSERVER_STREET');

    // Unverified, it is no evidence; nor is a rejected report, which cannot be verified.
    await refused(streetAdminA, OPEN, caseFrom(report.id), 'CONFLICT', 'REPORT_NOT_VERIFIED');
    await refused(streetAdminA, VERIFY, { id: rejected.data.submitReport.id }, 'CONFLICT', 'INVALID_TRANSITION');

    // Another street's staff can neither verify it nor open a case from it.
    await refused(streetAdminB, VERIFY, { id: report.id }, 'FORBIDDEN', 'OUT_OF_SCOPE');
    const verified: any = await platform.query(streetAdminA, VERIFY, { id: report.id, note: '现场核实属实' });
    expect(verified.errors).toBeUndefined();
    expect(verified.data.verifyReport).toMatchObject({ status: 'SUBMITTED', verified: true });
    expect(verified.data.verifyReport.history.at(-1)).toEqual({ action: 'VERIFY', fromStatus: 'SUBMITTED', toStatus: 'SUBMITTED', actor: 'street-admin-a' });
    await refused(streetAdminA, VERIFY, { id: report.id }, 'CONFLICT', 'ALREADY_VERIFIED');
    await refused(streetAdminB, OPEN, caseFrom(report.id, { householdId: elsewhere.id, orgUnitId: elsewhere.compoundId }), 'FORBIDDEN', 'OUT_OF_SCOPE');
    // The case must be about the report's place: another household's compound is refused.
    const neighbour = (await seededHouseholds(platform)).find((h) => h.compoundPath.includes(streetA) && h.compoundId !== home.compoundId)!;
    await refused(streetAdminA, OPEN, caseFrom(report.id, { householdId: neighbour.id, orgUnitId: neighbour.compoundId }), 'BAD_USER_INPUT', 'REPORT_LOCATION_MISMATCH');

    const opened: any = await platform.query(streetAdminA, OPEN, caseFrom(report.id));
    expect(opened.errors).toBeUndefined();
    expect(opened.data.openCase).toMatchObject({
      state: 'OPENED', householdId: home.id, citizenReportId: report.id, citizenReport: { id: report.id, channel: 'OBSERVER', verified: true },
    });
    const linked: any = await platform.query(streetAdminA, REPORT, { id: report.id });
    expect(linked.data.report).toMatchObject({ evidenceKind: 'CASE', evidenceCase: { id: opened.data.openCase.id, householdId: home.id } });
    // The observer follows their report and sees it became evidence, but not the case itself.
    const asFiler: any = await platform.query(observer, REPORT, { id: report.id });
    expect(asFiler.data.report).toMatchObject({ verified: true, evidenceKind: 'CASE', evidenceCase: null });

    // A report becomes evidence once.
    await refused(streetAdminA, OPEN, caseFrom(report.id), 'CONFLICT', 'REPORT_ALREADY_EVIDENCE');

    const summary: any = await platform.query(streetAdminA, SUMMARY, { streetId: streetA, month: shanghaiMonth() });
    expect(summary.errors).toBeUndefined();
    expect(summary.data.observerSummary).toMatchObject({
      month: shanghaiMonth(), street: { id: streetA }, reports: 3, verified: 1, verifiedShare: 1 / 3, evidence: 1, observersServing: 2,
      teams: [{ team: { name: '第一观察小组' }, reports: 3, verified: 1, verifiedShare: 1 / 3, evidence: 1, observersServing: 2 }],
    });
    const perObserver = Object.fromEntries(summary.data.observerSummary.observers.edges.map((e: any) => [e.node.observer.userId, e.node]));
    expect(perObserver['observer-li']).toMatchObject({ reports: 3, verified: 1, evidence: 1 });
    expect(perObserver['observer-wu']).toMatchObject({ reports: 0, verified: 0, verifiedShare: null, evidence: 0 });
    expect(unverified.data.submitReport.observer.userId).toBe('observer-li');

    const outside = await platform.query(streetAdminB, SUMMARY, { streetId: streetA, month: shanghaiMonth() });
    expect([codeOf(outside), reasonOf(outside)]).toEqual(['FORBIDDEN', 'OUT_OF_SCOPE']);
    const bad = await platform.query(streetAdminA, SUMMARY, { streetId: streetA, month: '2026-13' });
    expect([codeOf(bad), reasonOf(bad)]).toEqual(['BAD_USER_INPUT', 'INVALID_MONTH']);
  });

  it('opens one case when two officers open one from the same report at once', async () => {
    const filed: any = await platform.query(observer, SUBMIT, observerReport({ description: `同一处混投 ${randomUUID()}` }));
    const id = filed.data.submitReport.id;
    expect((await platform.query(streetAdminA, VERIFY, { id })).errors).toBeUndefined();
    const districtAdmin = await platform.token([Role.DISTRICT_ADMIN], null, 'district-admin');
    const outcomes = await Promise.all([streetAdminA, districtAdmin, streetAdminA].map((token) => platform.query(token, OPEN, caseFrom(id))));
    expect(outcomes.filter((o) => !o.errors)).toHaveLength(1);
    expect(outcomes.filter((o) => o.errors).map(reasonOf)).toEqual(['REPORT_ALREADY_EVIDENCE', 'REPORT_ALREADY_EVIDENCE']);
    const [{ cases }] = await enforcement().query(`SELECT count(*)::int AS cases FROM enforcement_case WHERE citizen_report_id = $1`, [id]);
    expect(cases).toBe(1);
  });
});
