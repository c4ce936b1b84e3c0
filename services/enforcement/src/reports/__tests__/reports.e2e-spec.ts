import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { ServiceName } from '#libs/messaging';
import { errorCodes, uploadPhoto } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';

const FIELDS = `id channel channelLabelZh categoryCode categoryLabelZh description compound { id name } latitude longitude photoUploadIds
  reporter { name phone unmasked } reportedByMe status statusLabelZh statusNote publicStatusNote publishDescription descriptionPublic
  assigneeKind assigneeKindLabelZh assigneeId reopenCount submittedAt dueAt overdue closedAt duplicateOfId duplicateOf { id status }
  history { action actionLabelZh fromStatus toStatus note publicNote actor at }`;
const SUBMIT = `mutation($input: SubmitReportInput!, $key: String) { submitReport(input: $input, idempotencyKey: $key) { ${FIELDS} } }`;
const REPORT = `query($id: ID!) { report(id: $id) { ${FIELDS} } }`;
const REPORTS = `query($status: ReportStatus, $category: String, $channel: ReportChannel, $org: ID, $overdue: Boolean, $first: Int, $after: String) {
  reports(status: $status, category: $category, channel: $channel, orgUnitId: $org, overdue: $overdue, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id status overdue channel categoryCode reporter { name phone } } }
  }
}`;
const MY_REPORTS = `{ myReports(first: 50) { totalCount edges { node { id status reportedByMe } } } }`;
const step = (name: string, extra = '') =>
  `mutation($id: ID!, $note: String${extra ? `, ${extra}` : ''}) { ${name}(id: $id, note: $note${extra ? ', originalId: $originalId' : ''}) { ${FIELDS} } }`;
const TRIAGE = step('triageReport');
const START = step('startReport');
const RESOLVE = step('resolveReport');
const REJECT = step('rejectReport');
const REOPEN = step('reopenReport');
const DUPLICATE = step('markReportDuplicate', '$originalId: ID!');
const ASSIGN = `mutation($input: AssignReportInput!) { assignReport(input: $input) { ${FIELDS} } }`;
/** A step with both notes: the internal one for staff, the public one for the reporter and Open311. */
const publicStep = (name: string) =>
  `mutation($id: ID!, $note: String, $publicNote: String) { ${name}(id: $id, note: $note, publicNote: $publicNote) { ${FIELDS} } }`;
const WITHHOLD = `mutation($id: ID!) { withholdReportDescription(id: $id) { ${FIELDS} } }`;

describe('citizen reports through the gateway', () => {
  let platform: TestPlatform;
  let streetA: { id: string };
  let streetB: { id: string };
  let communityA: { id: string; name: string };
  let compoundA: { id: string; name: string };
  let compoundB: { id: string };
  let resident: string;
  let secretaryA: string;
  let streetAdminA: string;
  let streetAdminB: string;
  let districtAdmin: string;

  const counts = async () => {
    const [row] = await platform
      .database(ServiceName.Enforcement)
      .query(`SELECT (SELECT count(*)::int FROM citizen_report) AS reports, (SELECT count(*)::int FROM citizen_report_history) AS history`);
    return row as { reports: number; history: number };
  };

  const submit = async (token: string, input: Record<string, unknown>) => {
    const response: any = await platform.query(token, SUBMIT, {
      input: { channel: 'APP', categoryCode: 'BAG_DUMPED', description: '楼道口有两袋垃圾', compoundId: compoundA.id, ...input },
    });
    expect(response.errors).toBeUndefined();
    return response.data.submitReport;
  };

  beforeAll(async () => {
    platform = await startPlatform();
    [streetA, streetB] = platform.plan.streets;
    communityA = platform.plan.communities.find((c) => c.parentId === streetA.id)!;
    compoundA = platform.plan.compounds.find((c) => c.parentId === communityA.id)!;
    compoundB = platform.plan.compounds.find((c) => c.path.includes(streetB.id))!;
    resident = await platform.token([Role.RESIDENT], compoundA.id, 'resident-wang', randomUUID());
    secretaryA = await platform.token([Role.COMMUNITY_SECRETARY], communityA.id, 'secretary-a');
    streetAdminA = await platform.token([Role.STREET_ADMIN], streetA.id, 'street-admin-a');
    streetAdminB = await platform.token([Role.STREET_ADMIN], streetB.id, 'street-admin-b');
    districtAdmin = await platform.token([Role.DISTRICT_ADMIN], null, 'district-admin');
  });

  afterAll(() => platform.stop());

  it('takes a snap-and-report through triage, assignment, work and resolution, with a note per step in the history', async () => {
    const photo = await uploadPhoto(platform, resident);
    const report = await submit(resident, { photoUploadIds: [photo], reporterName: '王小明', reporterPhone: '13800001111' });
    expect(report).toMatchObject({
      channel: 'APP',
      channelLabelZh: '随手拍',
      categoryLabelZh: '垃圾包乱丢',
      status: 'SUBMITTED',
      statusLabelZh: '已提交',
      compound: { id: compoundA.id, name: compoundA.name },
      photoUploadIds: [photo],
      reportedByMe: true,
      overdue: false,
      reporter: { name: '王小明', phone: '13800001111', unmasked: true },
    });
    // BAG_DUMPED is due 24 hours after submission.
    expect(Date.parse(report.dueAt) - Date.parse(report.submittedAt)).toBe(24 * 3600_000);

    const id = report.id;
    expect((await platform.query(secretaryA, TRIAGE, { id, note: '属实，转派' })).errors).toBeUndefined();
    const assigned: any = await platform.query(secretaryA, ASSIGN, {
      input: { id, assigneeKind: 'UNIT', assigneeId: communityA.id, note: '请社区处理' },
    });
    expect(assigned.data.assignReport).toMatchObject({
      status: 'ASSIGNED',
      assigneeKind: 'UNIT',
      assigneeKindLabelZh: '属地单位',
      assigneeId: communityA.id,
    });
    expect((await platform.query(secretaryA, START, { id, note: null })).errors).toBeUndefined();
    const resolved: any = await platform.query(secretaryA, RESOLVE, { id, note: '已清理，并对楼道住户宣传' });
    expect(resolved.data.resolveReport).toMatchObject({ status: 'RESOLVED', statusNote: '已清理，并对楼道住户宣传', overdue: false });
    expect(resolved.data.resolveReport.closedAt).not.toBeNull();
    expect(resolved.data.resolveReport.history.map((h: any) => [h.action, h.fromStatus, h.toStatus, h.note, h.actor])).toEqual([
      ['SUBMIT', null, 'SUBMITTED', null, 'resident-wang'],
      ['TRIAGE', 'SUBMITTED', 'TRIAGED', '属实，转派', 'secretary-a'],
      ['ASSIGN', 'TRIAGED', 'ASSIGNED', '请社区处理', 'secretary-a'],
      ['START', 'ASSIGNED', 'IN_PROGRESS', null, 'secretary-a'],
      ['RESOLVE', 'IN_PROGRESS', 'RESOLVED', '已清理，并对楼道住户宣传', 'secretary-a'],
    ]);

    const mine: any = await platform.query(resident, MY_REPORTS);
    expect(mine.data.myReports.edges.map((e: any) => e.node)).toContainEqual({ id, status: 'RESOLVED', reportedByMe: true });
  });

  it('lets only the reporter reopen a resolved report: back to SUBMITTED, due anew', async () => {
    const report = await submit(resident, { categoryCode: 'BIN_OVERFLOW' });
    const id = report.id;
    await platform.query(secretaryA, TRIAGE, { id });
    // Only a functional department (bureau) of the institution copy takes a report; a school or an unknown id does not.
    for (const assigneeId of [platform.plan.institutions.find((i) => i.kind === 'SCHOOL')!.id, randomUUID()]) {
      const refused: any = await platform.query(secretaryA, ASSIGN, { input: { id, assigneeKind: 'BUREAU', assigneeId } });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'UNKNOWN_ASSIGNEE' });
    }
    const assigned: any = await platform.query(secretaryA, ASSIGN, {
      input: { id, assigneeKind: 'BUREAU', assigneeId: platform.plan.institutions.find((i) => i.kind === 'DEPARTMENT')!.id },
    });
    expect(assigned.data.assignReport.status).toBe('ASSIGNED');
    await platform.query(secretaryA, START, { id });
    await platform.query(secretaryA, RESOLVE, { id, note: '已换桶' });

    const other = await platform.token([Role.RESIDENT], compoundA.id, 'resident-li', randomUUID());
    const before = await counts();
    const refused = await platform.query(other, REOPEN, { id, note: '还是满的' });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors![0].extensions!.reason).toBe('NOT_REPORTER');
    expect(await counts()).toEqual(before);

    const reopened: any = await platform.query(resident, REOPEN, { id, note: '第二天又满了' });
    expect(reopened.errors).toBeUndefined();
    // The reporter's words go to the staff (the reporter still sees them in their history), never into the public note.
    expect(reopened.data.reopenReport).toMatchObject({
      status: 'SUBMITTED',
      reopenCount: 1,
      closedAt: null,
      assigneeKind: null,
      statusNote: null,
      publicStatusNote: null,
    });
    expect(reopened.data.reopenReport.history.at(-1)).toMatchObject({
      action: 'REOPEN',
      fromStatus: 'RESOLVED',
      toStatus: 'SUBMITTED',
      actor: 'reporter',
      note: '第二天又满了',
      publicNote: null,
    });
    expect((await platform.query(secretaryA, REPORT, { id })).data!.report.statusNote).toBe('第二天又满了');
    // Due again 12 hours (BIN_OVERFLOW) after the reopening, which is later than the first submission.
    const reopenedAt = Date.parse(reopened.data.reopenReport.history.at(-1).at);
    expect(Date.parse(reopened.data.reopenReport.dueAt) - reopenedAt).toBeGreaterThanOrEqual(12 * 3600_000 - 1000);
    expect(Date.parse(reopened.data.reopenReport.dueAt) - reopenedAt).toBeLessThanOrEqual(12 * 3600_000 + 1000);

    // A SUBMITTED report cannot be reopened, and only RESOLVED/REJECTED ones can.
    expect((await platform.query(resident, REOPEN, { id })).errors![0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'INVALID_TRANSITION',
    });
  });

  it('shows the filer the steps and public notes of their report, never staff identities or internal notes', async () => {
    const report = await submit(resident, { categoryCode: 'POINT_UNTIDY', description: '投放点地面有污水' });
    const id = report.id;
    const steps: [string, Record<string, unknown>][] = [
      [publicStep('triageReport'), { id, note: '内部：物业经理周某称人手不足', publicNote: '已受理' }],
      [
        ASSIGN,
        { input: { id, assigneeKind: 'UNIT', assigneeId: communityA.id, note: '内部：请社区约谈物业', publicNote: '已派社区处理' } },
      ],
      [publicStep('startReport'), { id, note: '内部：现场有监控可查' }],
      [publicStep('resolveReport'), { id, note: '内部：已约谈物业经理周某', publicNote: '已清洗投放点' }],
    ];
    for (const [mutation, variables] of steps) expect((await platform.query(secretaryA, mutation, variables)).errors).toBeUndefined();

    const asFiler: any = await platform.query(resident, REPORT, { id });
    expect(asFiler.errors).toBeUndefined();
    expect(asFiler.data.report).toMatchObject({
      status: 'RESOLVED',
      statusNote: null,
      publicStatusNote: '已清洗投放点',
      reportedByMe: true,
    });
    expect(asFiler.data.report.history.map((h: any) => [h.action, h.note, h.publicNote, h.actor])).toEqual([
      ['SUBMIT', null, null, 'reporter'],
      ['TRIAGE', null, '已受理', 'staff'],
      ['ASSIGN', null, '已派社区处理', 'staff'],
      ['START', null, null, 'staff'],
      ['RESOLVE', null, '已清洗投放点', 'staff'],
    ]);
    const mine: any = await platform.query(
      resident,
      `{ myReports(first: 100) { edges { node { id statusNote history { note actor } } } } }`,
    );
    const listed = mine.data.myReports.edges.find((e: any) => e.node.id === id).node;
    for (const seen of [JSON.stringify(asFiler.data), JSON.stringify(listed)]) {
      expect(seen).not.toContain('内部');
      expect(seen).not.toContain('secretary-a');
    }

    // Staff handling the report see every actor and note.
    const asStaff: any = await platform.query(secretaryA, REPORT, { id });
    expect(asStaff.data.report).toMatchObject({ statusNote: '内部：已约谈物业经理周某', publicStatusNote: '已清洗投放点' });
    expect(asStaff.data.report.history.map((h: any) => [h.action, h.note, h.publicNote, h.actor])).toEqual([
      ['SUBMIT', null, null, 'resident-wang'],
      ['TRIAGE', '内部：物业经理周某称人手不足', '已受理', 'secretary-a'],
      ['ASSIGN', '内部：请社区约谈物业', '已派社区处理', 'secretary-a'],
      ['START', '内部：现场有监控可查', null, 'secretary-a'],
      ['RESOLVE', '内部：已约谈物业经理周某', '已清洗投放点', 'secretary-a'],
    ]);
  });

  it('lets a handler of its territory withhold a description from the public feed, and no one else', async () => {
    const report = await submit(resident, { description: '3号楼502的住户天天乱丢垃圾' });
    expect(report).toMatchObject({ publishDescription: true, descriptionPublic: true });
    const before = await platform.database(ServiceName.Enforcement).query(`SELECT * FROM citizen_report WHERE id = $1`, [report.id]);
    expect(errorCodes(await platform.query(streetAdminB, WITHHOLD, { id: report.id }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await platform.query(resident, WITHHOLD, { id: report.id }))).toEqual(['FORBIDDEN']);
    expect(await platform.database(ServiceName.Enforcement).query(`SELECT * FROM citizen_report WHERE id = $1`, [report.id])).toEqual(
      before,
    );

    const withheld: any = await platform.query(streetAdminA, WITHHOLD, { id: report.id });
    expect(withheld.errors).toBeUndefined();
    // Staff and the reporter still read it; only the public feed stops showing it.
    expect(withheld.data.withholdReportDescription).toMatchObject({
      publishDescription: true,
      descriptionPublic: false,
      description: '3号楼502的住户天天乱丢垃圾',
    });
    expect((await platform.query(resident, REPORT, { id: report.id })).data!.report).toMatchObject({
      descriptionPublic: false,
      description: '3号楼502的住户天天乱丢垃圾',
    });
    const [row] = await platform
      .database(ServiceName.Enforcement)
      .query(`SELECT description_withheld_by AS "by" FROM citizen_report WHERE id = $1`, [report.id]);
    expect(row.by).toBe('street-admin-a');
  });

  it.each([
    ['start a SUBMITTED report', START, {}],
    ['resolve a SUBMITTED report', RESOLVE, { note: '好了' }],
  ])('refuses to %s with INVALID_TRANSITION and writes nothing', async (_case, mutation, vars) => {
    const report = await submit(resident, {});
    const before = await counts();
    const response = await platform.query(secretaryA, mutation, { id: report.id, ...vars });
    expect(response.errors![0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'INVALID_TRANSITION',
      details: { status: 'SUBMITTED' },
    });
    expect(await counts()).toEqual(before);
  });

  it('lets exactly one of two concurrent handlers take the same step', async () => {
    const report = await submit(resident, {});
    const other = await platform.token([Role.STREET_ADMIN], streetA.id, 'street-admin-a2');
    const answers: any[] = await Promise.all([
      platform.query(secretaryA, TRIAGE, { id: report.id, note: '社区受理' }),
      platform.query(other, TRIAGE, { id: report.id, note: '街道受理' }),
    ]);
    const won = answers.filter((a) => !a.errors);
    expect(won).toHaveLength(1);
    expect(answers.find((a) => a.errors).errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_TRANSITION' });
    const [{ steps }] = await platform
      .database(ServiceName.Enforcement)
      .query(`SELECT count(*)::int AS steps FROM citizen_report_history WHERE report_id = $1 AND action <> 'SUBMIT'`, [report.id]);
    expect(steps).toBe(1);
  });

  it('refuses a rejection without a reason, and records one with it', async () => {
    const report = await submit(resident, {});
    const before = await counts();
    expect((await platform.query(secretaryA, REJECT, { id: report.id, note: ' ' })).errors![0].extensions).toMatchObject({
      reason: 'NOTE_REQUIRED',
    });
    expect(await counts()).toEqual(before);
    const rejected: any = await platform.query(secretaryA, REJECT, { id: report.id, note: '现场核实无此问题' });
    expect(rejected.data.rejectReport).toMatchObject({ status: 'REJECTED', statusNote: '现场核实无此问题' });
  });

  it('links a duplicate to its original, which must not itself be a duplicate', async () => {
    const original = await submit(resident, { description: '桶边一堆垃圾袋' });
    const duplicate = await submit(secretaryA, { channel: 'APP', description: '同一处垃圾袋' });
    const third = await submit(resident, { description: '还是那堆垃圾袋' });

    const marked: any = await platform.query(secretaryA, DUPLICATE, { id: duplicate.id, originalId: original.id, note: '同一问题' });
    expect(marked.errors).toBeUndefined();
    expect(marked.data.markReportDuplicate).toMatchObject({
      status: 'DUPLICATE',
      duplicateOfId: original.id,
      duplicateOf: { id: original.id, status: 'SUBMITTED' },
      overdue: false,
    });
    expect(marked.data.markReportDuplicate.closedAt).not.toBeNull();

    const before = await counts();
    const ofDuplicate = await platform.query(secretaryA, DUPLICATE, { id: third.id, originalId: duplicate.id });
    expect(ofDuplicate.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'ORIGINAL_IS_DUPLICATE',
      details: { originalId: original.id },
    });
    const originalAsDuplicate = await platform.query(secretaryA, DUPLICATE, { id: original.id, originalId: third.id });
    expect(originalAsDuplicate.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'HAS_DUPLICATES' });
    const itself = await platform.query(secretaryA, DUPLICATE, { id: third.id, originalId: third.id });
    expect(itself.errors![0].extensions).toMatchObject({ reason: 'DUPLICATE_OF_ITSELF' });
    const reopenDuplicate = await platform.query(secretaryA, REOPEN, { id: duplicate.id });
    expect(reopenDuplicate.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_TRANSITION' });
    expect(await counts()).toEqual(before);
  });

  it('flags open reports past their due time as overdue, and filters on it', async () => {
    const late = await submit(resident, { description: '超期未处理' });
    const lateButResolved = await submit(resident, { description: '超期但已办结' });
    const db = platform.database(ServiceName.Enforcement);
    // Submitted long ago: explicit dates, so the outcome does not depend on today's date.
    await db.query(
      `UPDATE citizen_report SET submitted_at = '2020-03-01T08:00:00Z', due_at = '2020-03-02T08:00:00Z' WHERE id = ANY($1::uuid[])`,
      [[late.id, lateButResolved.id]],
    );
    await db.query(`UPDATE citizen_report SET status = 'RESOLVED', closed_at = '2020-03-03T08:00:00Z' WHERE id = $1`, [lateButResolved.id]);
    const one: any = await platform.query(secretaryA, REPORT, { id: late.id });
    expect(one.data.report).toMatchObject({ overdue: true, dueAt: '2020-03-02T08:00:00.000Z' });

    const overdue: any = await platform.query(districtAdmin, REPORTS, { overdue: true, first: 500 });
    const ids = overdue.data.reports.edges.map((e: any) => e.node.id);
    expect(ids).toContain(late.id);
    expect(ids).not.toContain(lateButResolved.id);
    expect(overdue.data.reports.edges.every((e: any) => e.node.overdue)).toBe(true);
    const notOverdue: any = await platform.query(districtAdmin, REPORTS, { overdue: false, first: 500 });
    expect(notOverdue.data.reports.edges.map((e: any) => e.node.id)).toContain(lateButResolved.id);
  });

  it('masks reporters for staff without personal-data access, and records every unmasked read', async () => {
    const hotline: any = await platform.query(secretaryA, SUBMIT, {
      input: {
        channel: 'HOTLINE',
        categoryCode: 'COLLECTION_MISSED',
        description: '来电反映收运车未来',
        compoundId: compoundA.id,
        reporterName: '张三明',
        reporterPhone: '13812345678',
      },
    });
    expect(hotline.errors).toBeUndefined();
    const id = hotline.data.submitReport.id;
    expect(hotline.data.submitReport).toMatchObject({ channel: 'HOTLINE', reportedByMe: false });

    const masked: any = await platform.query(streetAdminA, REPORT, { id });
    expect(masked.data.report.reporter).toEqual({ name: '张*明', phone: '138****5678', unmasked: false });
    const listed: any = await platform.query(streetAdminA, REPORTS, { channel: 'HOTLINE', first: 500 });
    expect(listed.data.reports.edges.find((e: any) => e.node.id === id).node.reporter).toEqual({ name: '张*明', phone: '138****5678' });

    const db = platform.database(ServiceName.Enforcement);
    const audited = async () =>
      (
        await db.query(`SELECT count(*)::int AS n FROM personal_data_access WHERE $1::uuid = ANY(entity_ids) AND user_id = 'secretary-a'`, [
          id,
        ])
      )[0].n;
    const before = await audited();
    const clear: any = await platform.query(secretaryA, REPORT, { id });
    expect(clear.data.report.reporter).toEqual({ name: '张三明', phone: '13812345678', unmasked: true });
    expect(await audited()).toBe(before + 1);

    // An anonymous report keeps no name or phone at all.
    const anonymous = await submit(resident, { reporterName: '王五', reporterPhone: '13900000000', anonymous: true });
    expect(anonymous.reporter).toBeNull();
  });

  it("keeps a street's reports to that street's staff", async () => {
    const report = await submit(resident, { description: '另一条街道的问题', compoundId: compoundB.id });
    const refused = await platform.query(streetAdminA, REPORT, { id: report.id });
    expect(refused.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'OUT_OF_SCOPE' });
    const list: any = await platform.query(streetAdminA, REPORTS, { first: 500 });
    expect(list.data.reports.edges.some((e: any) => e.node.id === report.id)).toBe(false);
    const before = await counts();
    expect(errorCodes(await platform.query(streetAdminA, TRIAGE, { id: report.id }))).toEqual(['FORBIDDEN']);
    expect(await counts()).toEqual(before);
    const seen: any = await platform.query(streetAdminB, REPORT, { id: report.id });
    expect(seen.data.report.id).toBe(report.id);
    // Another street is refused as a filter too; residents and inspectors do not read the report list at all.
    expect(errorCodes(await platform.query(streetAdminA, REPORTS, { org: streetB.id }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await platform.query(resident, REPORTS, {}))).toEqual(['FORBIDDEN']);
  });

  it('pages through the demo reports newest first, with filters', async () => {
    const first: any = await platform.query(districtAdmin, REPORTS, { first: 100 });
    expect(first.errors).toBeUndefined();
    const total = first.data.reports.totalCount;
    expect(total).toBeGreaterThanOrEqual(400);
    const second: any = await platform.query(districtAdmin, REPORTS, { first: 100, after: first.data.reports.pageInfo.endCursor });
    const firstIds = new Set(first.data.reports.edges.map((e: any) => e.node.id));
    expect(second.data.reports.edges.some((e: any) => firstIds.has(e.node.id))).toBe(false);
    const resolved: any = await platform.query(districtAdmin, REPORTS, { status: 'RESOLVED', category: 'MIXED_WASTE', first: 500 });
    expect(resolved.data.reports.edges.length).toBeGreaterThan(0);
    expect(resolved.data.reports.edges.every((e: any) => e.node.status === 'RESOLVED' && e.node.categoryCode === 'MIXED_WASTE')).toBe(true);
  });

  it.each([
    ['no location', { compoundId: null }, 'BAD_USER_INPUT', 'MISSING_LOCATION'],
    ['a latitude without longitude', { compoundId: null, latitude: 29.8 }, 'BAD_USER_INPUT', 'INVALID_COORDINATES'],
    ['coordinates off the globe', { compoundId: null, latitude: 120, longitude: 29 }, 'BAD_USER_INPUT', 'INVALID_COORDINATES'],
    ['an unknown category', { categoryCode: 'NOPE' }, 'BAD_USER_INPUT', 'UNKNOWN_CATEGORY'],
    ['a unit that is not a compound', { compoundId: 'community' }, 'BAD_USER_INPUT', 'NOT_A_COMPOUND'],
    ['an unknown compound', { compoundId: '00000000-0000-4000-8000-000000000009' }, 'NOT_FOUND', undefined],
    ['an empty description', { description: '   ' }, 'BAD_USER_INPUT', 'INVALID_DESCRIPTION'],
    ['ten photos', { photoUploadIds: Array.from({ length: 10 }, () => randomUUID()) }, 'BAD_USER_INPUT', 'TOO_MANY_PHOTOS'],
    ['a bad phone number', { reporterPhone: 'call me' }, 'BAD_USER_INPUT', 'INVALID_PHONE'],
    ['the OPEN311 channel', { channel: 'OPEN311' }, 'BAD_USER_INPUT', 'CHANNEL_NOT_ALLOWED'],
    ['a hotline entry by a resident', { channel: 'HOTLINE' }, 'FORBIDDEN', 'MISSING_PERMISSION'],
    [
      'an observer report asked to be published',
      { channel: 'OBSERVER', publishDescription: true },
      'BAD_USER_INPUT',
      'DESCRIPTION_NOT_PUBLISHABLE',
    ],
  ])('refuses %s and writes nothing', async (_case, change: Record<string, unknown>, code, reason) => {
    const before = await counts();
    const input = { channel: 'APP', categoryCode: 'MIXED_WASTE', description: '混投', compoundId: compoundA.id, ...change };
    if (input.compoundId === 'community') input.compoundId = communityA.id;
    const response = await platform.query(resident, SUBMIT, { input });
    expect(errorCodes(response)).toEqual([code]);
    if (reason) expect(response.errors![0].extensions!.reason).toBe(reason);
    expect(await counts()).toEqual(before);
  });

  it("refuses another person's photo (FORBIDDEN) and a photo already cited (BAD_USER_INPUT), writing nothing on either side", async () => {
    const input = { channel: 'APP', categoryCode: 'MIXED_WASTE', description: '混投', compoundId: compoundA.id };
    const citations = async () =>
      (await platform.database(ServiceName.Households).query(`SELECT count(*)::int AS count FROM upload_citation`))[0].count as number;
    const theirs = await uploadPhoto(platform, secretaryA);
    const before = { ...(await counts()), citations: await citations() };
    const refused = await platform.query(resident, SUBMIT, { input: { ...input, photoUploadIds: [theirs] } });
    expect(refused.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_YOUR_PHOTO', details: { ids: [theirs] } });
    expect({ ...(await counts()), citations: await citations() }).toEqual(before);

    const mine = await uploadPhoto(platform, resident);
    expect((await platform.query(resident, SUBMIT, { input: { ...input, photoUploadIds: [mine] } })).errors).toBeUndefined();
    // The report's photo: for the report's handlers in its territory (and its reporter), not another street's.
    const photoStatus = async (token: string) =>
      (await fetch(`${platform.gatewayUrl.replace(/\/graphql$/, '/uploads')}/${mine}`, { headers: { authorization: `Bearer ${token}` } }))
        .status;
    expect([await photoStatus(resident), await photoStatus(streetAdminA), await photoStatus(streetAdminB)]).toEqual([200, 200, 404]);
    const cited = { ...(await counts()), citations: await citations() };
    const again = await platform.query(resident, SUBMIT, { input: { ...input, photoUploadIds: [mine] } });
    expect(again.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PHOTO_ALREADY_CITED' });
    expect({ ...(await counts()), citations: await citations() }).toEqual(cited);
  });

  it('files a report once however often a phone retries it with the same idempotency key', async () => {
    const input = { channel: 'APP', categoryCode: 'POINT_UNTIDY', description: '投放点有污水', compoundId: compoundA.id };
    const before = await counts();
    const first: any = await platform.query(resident, SUBMIT, { input, key: 'report-retry-0001' });
    const retry: any = await platform.query(resident, SUBMIT, { input, key: 'report-retry-0001' });
    expect(retry.data.submitReport.id).toBe(first.data.submitReport.id);
    expect(await counts()).toEqual({ reports: before.reports + 1, history: before.history + 1 });
    const reused = await platform.query(resident, SUBMIT, { input: { ...input, description: '别的内容' }, key: 'report-retry-0001' });
    expect(reused.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await counts()).toEqual({ reports: before.reports + 1, history: before.history + 1 });
  });

  it('accepts coordinates alone, seen district-wide', async () => {
    const report = await submit(resident, { compoundId: null, latitude: 29.8167, longitude: 121.5472, categoryCode: 'BIN_DAMAGED' });
    expect(report).toMatchObject({ compound: null, latitude: 29.8167, longitude: 121.5472, status: 'SUBMITTED' });
    expect((await platform.query(districtAdmin, REPORT, { id: report.id })).errors).toBeUndefined();
    expect(errorCodes(await platform.query(streetAdminA, REPORT, { id: report.id }))).toEqual(['FORBIDDEN']);
  });
});
