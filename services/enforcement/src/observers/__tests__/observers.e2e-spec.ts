import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { addDays, shanghaiDate, shanghaiMonth } from '#libs/calendar';
import { EventType, ServiceName } from '#libs/messaging';
import { codeOf, reasonOf, waitFor } from '#libs/testing';
import { seededHouseholds, startPlatform, type SeededHousehold, type TestPlatform } from '#tools/test-platform';
import { DEMO_OBSERVERS_PER_TEAM, DEMO_OBSERVER_TEAMS } from '../../seed/observers.seed.js';

const CREATE_TEAM = `mutation($streetId: ID!, $name: String!) { createObserverTeam(streetId: $streetId, name: $name) { id name street { id } } }`;
const APPOINT = `mutation($input: AppointObserverInput!) {
  appointObserver(input: $input) { id userId termFrom termTo serving team { id name } } }`;
const END_TERM = `mutation($id: ID!, $lastDay: LocalDate!) { endObserverTerm(id: $id, lastDay: $lastDay) { id termTo serving } }`;
const ROSTER = `query($streetId: ID, $servingOn: LocalDate) {
  citizenObservers(streetId: $streetId, servingOn: $servingOn, first: 50) { totalCount edges { node { id userId serving team { name } } } } }`;
const REPORT_FIELDS = `id channel status verified verifiedAt evidenceKind evidenceInspectionId observer { id userId team { id name } }
  evidenceCase { id householdId } history { action fromStatus toStatus actor }`;
const SUBMIT = `mutation($input: SubmitReportInput!) { submitReport(input: $input) { ${REPORT_FIELDS} } }`;
const VERIFY = `mutation($id: ID!, $note: String) { verifyReport(id: $id, note: $note) { ${REPORT_FIELDS} } }`;
const REJECT = `mutation($id: ID!, $note: String) { rejectReport(id: $id, note: $note) { id status } }`;
const REPORT = `query($id: ID!) { report(id: $id) { ${REPORT_FIELDS} } }`;
const OPEN = `mutation($input: OpenCaseInput!) {
  openCase(input: $input) { id state householdId citizenReportId citizenReport { id channel verified } evidence { description } } }`;
const RECORD_FROM_REPORT = `mutation($id: ID!, $input: RecordInspectionFromReportInput!) {
  recordInspectionFromReport(citizenReportId: $id, input: $input) { id evidenceKind evidenceAt evidenceInspectionId } }`;
const LINKED_INSPECTION = `query($id: ID!) { report(id: $id) { id evidenceKind evidenceInspectionId
  evidenceInspection { id householdId kind result issues inspectorId inspectedAt month note citizenReportId } } }`;
const INSPECTIONS = `query($h: ID!, $month: String) { inspections(householdId: $h, month: $month, first: 100) {
  edges { node { id kind result issues month note citizenReportId citizenReport { id channel verified } } } } }`;
const RUN = `mutation($month: String!, $org: ID!) { runMonthlyEvaluation(month: $month, orgUnitId: $org) { id } }`;
const RUN_STATUS = `query($id: ID!) { evaluationRun(id: $id) { id status } }`;
const GRADE = `query($h: ID!, $month: String!) { householdGrade(householdId: $h, month: $month) {
  status score inspectionCount reasons { points inspectionId descriptionZh } } }`;
const SUMMARY = `query($streetId: ID!, $month: String!) {
  observerSummary(streetId: $streetId, month: $month) {
    month street { id } reports verified verifiedShare evidence observersServing
    teams { team { name } reports verified verifiedShare evidence observersServing }
    observers(first: 50) { totalCount edges { node { observer { userId } reports verified verifiedShare evidence } } }
  }
}`;

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
              (SELECT count(*) FROM citizen_observer)::int AS observers, (SELECT count(*) FROM citizen_report WHERE evidence_kind IS NOT NULL)::int AS evidence,
              (SELECT count(*) FROM outbox_event WHERE type = $1)::int AS "inspectionEvents"`,
      [EventType.ReportInspectionRecorded],
    );
    const [{ inspections }] = await platform.database(ServiceName.Households).query(`SELECT count(*)::int AS inspections FROM inspection`);
    return { ...row, inspections } as Record<string, number>;
  };
  /** Refused with `code` and `reason`, and nothing written. */
  async function refused(token: string, document: string, variables: Record<string, unknown>, code: string, reason: string): Promise<void> {
    const before = await written();
    const response = await platform.query(token, document, variables);
    expect([codeOf(response), reasonOf(response)]).toEqual([code, reason]);
    expect(await written()).toEqual(before);
  }
  const observerReport = (change: Record<string, unknown> = {}) => ({
    input: {
      channel: 'OBSERVER',
      categoryCode: 'MIXED_WASTE',
      description: '3号楼桶边其他垃圾桶里混有大量厨余',
      compoundId: home.compoundId,
      ...change,
    },
  });
  const caseFrom = (reportId: string, change: Record<string, unknown> = {}) => ({
    input: {
      targetKind: 'HOUSEHOLD',
      householdId: home.id,
      orgUnitId: home.compoundId,
      articleCode: 'NB-WASTE-63-1',
      evidenceDescription: '观察员举报经核实：厨余垃圾混投',
      citizenReportId: reportId,
      ...change,
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

  afterAll(() => platform.stop());

  it("keeps a street's roster: teams, terms that never overlap for one account, only inside the street", async () => {
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
    await refused(
      streetAdminA,
      APPOINT,
      { input: { ...term, termFrom: addDays(today, 300), termTo: addDays(today, 700) } },
      'CONFLICT',
      'TERM_OVERLAPS',
    );
    await refused(
      streetAdminA,
      APPOINT,
      { input: { ...term, userId: 'observer-wu', termTo: addDays(today, -31) } },
      'BAD_USER_INPUT',
      'ENDS_BEFORE_START',
    );
    await refused(streetAdminB, APPOINT, { input: { ...term, userId: 'observer-wu' } }, 'FORBIDDEN', 'OUT_OF_SCOPE');

    // A second observer whose term ends today: serving now, gone from tomorrow's roster.
    const second: any = await platform.query(streetAdminA, APPOINT, { input: { ...term, userId: 'observer-wu' } });
    const ended: any = await platform.query(streetAdminA, END_TERM, { id: second.data.appointObserver.id, lastDay: today });
    expect(ended.data.endObserverTerm).toMatchObject({ termTo: today, serving: true });
    // (The demo roster serves beside them: two teams of three per street, two of each serving today.)
    const ours = (response: any) =>
      response.data.citizenObservers.edges.map((e: any) => e.node.userId).filter((id: string) => !id.startsWith('demo-observer-'));
    const tomorrow: any = await platform.query(streetAdminA, ROSTER, { streetId: streetA, servingOn: addDays(today, 1) });
    expect(ours(tomorrow)).toEqual(['observer-li']);
    const seenFromB: any = await platform.query(streetAdminB, ROSTER, {});
    expect(seenFromB.data.citizenObservers.totalCount).toBe(DEMO_OBSERVER_TEAMS.length * DEMO_OBSERVERS_PER_TEAM);
    expect(ours(seenFromB)).toEqual([]);
  });

  it("attributes an observer's report to them, verified by staff and turned into a case linked to the report, once, and counts it in the month", async () => {
    // The demo month's observer reports count too: the street's figures are compared with what they were before.
    const before: any = (await platform.query(streetAdminA, SUMMARY, { streetId: streetA, month: shanghaiMonth() })).data;
    const filed: any = await platform.query(observer, SUBMIT, observerReport());
    expect(filed.errors).toBeUndefined();
    const report = filed.data.submitReport;
    expect(report).toMatchObject({
      channel: 'OBSERVER',
      status: 'SUBMITTED',
      verified: false,
      evidenceKind: null,
      observer: { userId: 'observer-li', team: { id: team.id, name: '第一观察小组' } },
    });
    // A second report of the month that staff will not verify, and one they reject.
    const unverified: any = await platform.query(
      observer,
      SUBMIT,
      observerReport({ categoryCode: 'BAG_DUMPED', description: '楼道口两袋垃圾' }),
    );
    const rejected: any = await platform.query(observer, SUBMIT, observerReport({ categoryCode: 'BIN_OVERFLOW', description: '桶满溢' }));
    expect(
      (await platform.query(streetAdminA, REJECT, { id: rejected.data.submitReport.id, note: '现场核查无此情况' })).errors,
    ).toBeUndefined();

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
    expect(verified.data.verifyReport.history.at(-1)).toEqual({
      action: 'VERIFY',
      fromStatus: 'SUBMITTED',
      toStatus: 'SUBMITTED',
      actor: 'street-admin-a',
    });
    await refused(streetAdminA, VERIFY, { id: report.id }, 'CONFLICT', 'ALREADY_VERIFIED');
    await refused(
      streetAdminB,
      OPEN,
      caseFrom(report.id, { householdId: elsewhere.id, orgUnitId: elsewhere.compoundId }),
      'FORBIDDEN',
      'OUT_OF_SCOPE',
    );
    // The case must be about the report's place: another household's compound is refused.
    const neighbour = (await seededHouseholds(platform)).find((h) => h.compoundPath.includes(streetA) && h.compoundId !== home.compoundId)!;
    await refused(
      streetAdminA,
      OPEN,
      caseFrom(report.id, { householdId: neighbour.id, orgUnitId: neighbour.compoundId }),
      'BAD_USER_INPUT',
      'REPORT_LOCATION_MISMATCH',
    );

    const opened: any = await platform.query(streetAdminA, OPEN, caseFrom(report.id));
    expect(opened.errors).toBeUndefined();
    expect(opened.data.openCase).toMatchObject({
      state: 'OPENED',
      householdId: home.id,
      citizenReportId: report.id,
      citizenReport: { id: report.id, channel: 'OBSERVER', verified: true },
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
    const was = before.observerSummary;
    expect(summary.data.observerSummary).toMatchObject({
      month: shanghaiMonth(),
      street: { id: streetA },
      reports: was.reports + 3,
      verified: was.verified + 1,
      evidence: was.evidence + 1,
      observersServing: was.observersServing,
    });
    const teams = summary.data.observerSummary.teams;
    expect(teams.map((t: any) => t.team.name).sort()).toEqual([...DEMO_OBSERVER_TEAMS, '第一观察小组'].sort());
    expect(teams.find((t: any) => t.team.name === '第一观察小组')).toMatchObject({
      reports: 3,
      verified: 1,
      verifiedShare: 1 / 3,
      evidence: 1,
      observersServing: 2,
    });
    expect(teams.reduce((sum: number, t: any) => sum + t.reports, 0)).toBe(summary.data.observerSummary.reports);
    const perObserver = Object.fromEntries(summary.data.observerSummary.observers.edges.map((e: any) => [e.node.observer.userId, e.node]));
    expect(perObserver['observer-li']).toMatchObject({ reports: 3, verified: 1, evidence: 1 });
    expect(perObserver['observer-wu']).toMatchObject({ reports: 0, verified: 0, verifiedShare: null, evidence: 0 });
    expect(unverified.data.submitReport.observer.userId).toBe('observer-li');

    const outside = await platform.query(streetAdminB, SUMMARY, { streetId: streetA, month: shanghaiMonth() });
    expect([codeOf(outside), reasonOf(outside)]).toEqual(['FORBIDDEN', 'OUT_OF_SCOPE']);
    const bad = await platform.query(streetAdminA, SUMMARY, { streetId: streetA, month: '2026-13' });
    expect([codeOf(bad), reasonOf(bad)]).toEqual(['BAD_USER_INPUT', 'INVALID_MONTH']);
  });

  it('turns a verified observer report into a failed inspection of the household, with the report linked both ways, once; the regraded month counts it', async () => {
    const month = shanghaiMonth();
    const filed: any = await platform.query(
      observer,
      SUBMIT,
      observerReport({ categoryCode: 'BAG_DUMPED', description: `楼道口垃圾袋乱丢 ${randomUUID()}` }),
    );
    const id = filed.data.submitReport.id;
    const record = (change: Record<string, unknown> = {}) => ({ id, input: { householdId: home.id, ...change } });

    // Unverified, it is no evidence: refused, and nothing written in enforcement or households.
    await refused(streetAdminA, RECORD_FROM_REPORT, record(), 'CONFLICT', 'REPORT_NOT_VERIFIED');
    expect((await platform.query(streetAdminA, VERIFY, { id, note: '现场核实属实' })).errors).toBeUndefined();
    // Another street's staff may not make it evidence; nor may anyone name a household of another compound, or a pass.
    await refused(streetAdminB, RECORD_FROM_REPORT, record(), 'FORBIDDEN', 'OUT_OF_SCOPE');
    const neighbour = (await seededHouseholds(platform)).find((h) => h.compoundPath.includes(streetA) && h.compoundId !== home.compoundId)!;
    await refused(streetAdminA, RECORD_FROM_REPORT, record({ householdId: neighbour.id }), 'BAD_USER_INPUT', 'REPORT_LOCATION_MISMATCH');
    await refused(streetAdminA, RECORD_FROM_REPORT, record({ result: 'PASS' }), 'BAD_USER_INPUT', 'NOT_A_PROBLEM');

    // The month graded before the report became evidence, to compare with.
    const admin = await platform.token([Role.DISTRICT_ADMIN], null, 'district-admin-grades');
    const regrade = async () => {
      const started: any = await platform.query(streetAdminA, RUN, { month, org: home.compoundId });
      expect(started.errors).toBeUndefined();
      await waitFor(
        'the compound to be graded',
        async () =>
          ((await platform.query(streetAdminA, RUN_STATUS, { id: started.data.runMonthlyEvaluation.id })) as any).data.evaluationRun
            .status === 'COMPLETED',
      );
      return ((await platform.query(admin, GRADE, { h: home.id, month })) as any).data.householdGrade;
    };
    const gradedBefore = await regrade();

    const recorded: any = await platform.query(streetAdminA, RECORD_FROM_REPORT, record({ note: '2号楼楼道口发现两袋未分类垃圾' }));
    expect(recorded.errors).toBeUndefined();
    const inspectionId = recorded.data.recordInspectionFromReport.evidenceInspectionId;
    expect(recorded.data.recordInspectionFromReport).toMatchObject({
      id,
      evidenceKind: 'INSPECTION',
      evidenceInspectionId: expect.any(String),
    });

    // households records it (from the event): a failed patrol of the household, dated when the report was filed, carrying the report.
    const inspection = await waitFor('households to record the inspection', async () => {
      const listed: any = await platform.query(streetAdminA, INSPECTIONS, { h: home.id, month });
      return listed.data.inspections.edges.map((e: any) => e.node).find((node: any) => node.id === inspectionId);
    });
    expect(inspection).toMatchObject({
      kind: 'PATROL',
      result: 'FAIL',
      issues: ['BAG_DUMPED'],
      month,
      citizenReportId: id,
      citizenReport: { id, channel: 'OBSERVER', verified: true },
    });
    expect(inspection.note).toContain('2号楼楼道口发现两袋未分类垃圾');
    expect(inspection.note).not.toContain('楼道口垃圾袋乱丢');
    // The report shows the inspection to its handlers; its observer sees only that it became evidence.
    const linked: any = await platform.query(streetAdminA, LINKED_INSPECTION, { id });
    expect(linked.data.report).toMatchObject({
      evidenceKind: 'INSPECTION',
      evidenceInspectionId: inspectionId,
      evidenceInspection: { id: inspectionId, householdId: home.id, result: 'FAIL', inspectorId: 'street-admin-a', citizenReportId: id },
    });
    const asFiler: any = await platform.query(observer, LINKED_INSPECTION, { id });
    expect(asFiler.data.report).toMatchObject({ evidenceKind: 'INSPECTION', evidenceInspectionId: null, evidenceInspection: null });

    // Once: again is ALREADY_RECORDED naming the inspection, and a case from it is refused; nothing more is written.
    const before = await written();
    const again = await platform.query(streetAdminA, RECORD_FROM_REPORT, record());
    expect([codeOf(again), reasonOf(again), again.errors?.[0]?.extensions?.details]).toEqual([
      'CONFLICT',
      'ALREADY_RECORDED',
      { citizenReportId: id, inspectionId },
    ]);
    await refused(streetAdminA, OPEN, caseFrom(id), 'CONFLICT', 'REPORT_ALREADY_EVIDENCE');
    expect(await written()).toEqual(before);

    // Regrading the month counts it like any inspection: a FAIL (15) with a dumped bag (10).
    const gradedAfter = await regrade();
    expect(gradedBefore.reasons.map((r: any) => r.inspectionId)).not.toContain(inspectionId);
    expect(gradedAfter.reasons).toContainEqual(
      expect.objectContaining({ inspectionId, points: -25, descriptionZh: expect.stringContaining('巡查：不合格（垃圾包乱丢），扣25分') }),
    );
    expect(gradedAfter.inspectionCount).toBe((gradedBefore.inspectionCount ?? 0) + 1);
  });

  it('opens one case when two officers open one from the same report at once', async () => {
    const filed: any = await platform.query(observer, SUBMIT, observerReport({ description: `同一处混投 ${randomUUID()}` }));
    const id = filed.data.submitReport.id;
    expect((await platform.query(streetAdminA, VERIFY, { id })).errors).toBeUndefined();
    const districtAdmin = await platform.token([Role.DISTRICT_ADMIN], null, 'district-admin');
    const outcomes = await Promise.all(
      [streetAdminA, districtAdmin, streetAdminA].map((token) => platform.query(token, OPEN, caseFrom(id))),
    );
    expect(outcomes.filter((o) => !o.errors)).toHaveLength(1);
    expect(outcomes.filter((o) => o.errors).map(reasonOf)).toEqual(['REPORT_ALREADY_EVIDENCE', 'REPORT_ALREADY_EVIDENCE']);
    const [{ cases }] = await enforcement().query(`SELECT count(*)::int AS cases FROM enforcement_case WHERE citizen_report_id = $1`, [id]);
    expect(cases).toBe(1);
  });
});
