import type { DataSource } from 'typeorm';
import { addDays, shanghaiDate } from '#libs/calendar';
import { execute } from '#libs/database';
import { planHouseholds, type DistrictPlan } from '#libs/demo-data';
import { createDueRecords } from '../credit-export/credit-export-sql.js';

const LADDER = ['OPENED', 'RECTIFICATION_NOTICE_ISSUED', 'FOLLOW_UP_DUE', 'NOT_RECTIFIED', 'PENALISED', 'APPEALED'] as const;
/** Where each demo case ends up, in turn: most are rectified, some penalised, a few appealed. */
const ENDINGS = [
  'CLOSED',
  'PENALISED',
  'RECTIFICATION_NOTICE_ISSUED',
  'CLOSED',
  'UPHELD',
  'OPENED',
  'PENALISED',
  'OVERTURNED',
  'CLOSED',
  'APPEALED',
] as const;

interface Step {
  caseId: string;
  from: string | null;
  to: string;
  at: string;
  note: string | null;
}

const at = (date: string, hour: number) => `${date}T${String(hour).padStart(2, '0')}:00:00+08:00`;
const uuid = (n: number) => `00000000-0000-4000-8${String(n).padStart(3, '0')}-${String(n).padStart(12, '0')}`.replace(/^0{8}/, 'c45e0000');

/**
 * Demo cases over the last four months against households (some floating population), property companies and
 * employers, in every state of the lifecycle, with their history; penalties that became final are exported (and
 * shown as delivered). Rows are computed here and written with set-based statements.
 */
export async function seedCases(dataSource: DataSource, plan: DistrictPlan, householdCount: number): Promise<string> {
  const today = shanghaiDate();
  const [households = []] = planHouseholds(plan, householdCount, 240);
  const companies = plan.institutions.filter((i) => i.kind === 'PROPERTY_COMPANY');
  const employers = plan.institutions.filter((i) => i.kind === 'EMPLOYER');
  const compoundOf = new Map(plan.compounds.map((c) => [c.propertyCompanyId, c.id]));
  const cases: Record<string, unknown>[] = [];
  const steps: Step[] = [];
  const targets = [
    ...households
      .filter((_h, i) => i % 8 === 0)
      .slice(0, 24)
      .map((h) => ({
        kind: 'HOUSEHOLD',
        householdId: h.id,
        institutionId: null,
        floating: h.floatingPopulation,
        orgUnitId: h.compoundId,
        article: 'NB-WASTE-63-1',
        fine: 100,
      })),
    ...companies
      .slice(0, 12)
      .filter((c) => compoundOf.has(c.id))
      .map((c) => ({
        kind: 'PROPERTY_COMPANY',
        householdId: null,
        institutionId: c.id,
        floating: false,
        orgUnitId: compoundOf.get(c.id)!,
        article: 'NB-WASTE-61',
        fine: 8000,
      })),
    ...employers.slice(0, 6).map((e) => ({
      kind: 'UNIT',
      householdId: null,
      institutionId: e.id,
      floating: false,
      orgUnitId: e.orgUnitId,
      article: 'NB-WASTE-63-2',
      fine: 6000,
    })),
  ];
  for (const [index, target] of targets.entries()) {
    const id = uuid(index + 1);
    const ending = ENDINGS[index % ENDINGS.length];
    // Older cases went further; the ones still open or awaiting rectification are recent.
    const ageDays = ending === 'OPENED' ? 3 : ending === 'RECTIFICATION_NOTICE_ISSUED' ? 8 : 40 + ((index * 7) % 80);
    const opened = addDays(today, -ageDays);
    const row: Record<string, unknown> = {
      id,
      targetKind: target.kind,
      householdId: target.householdId,
      institutionId: target.institutionId,
      floating: target.floating,
      orgUnitId: target.orgUnitId,
      article: target.article,
      state: ending,
      openedAt: at(opened, 9),
      evidence:
        target.kind === 'HOUSEHOLD' ? '检查发现厨余垃圾中混有其他垃圾，经劝导后仍未分类投放。' : '联合执法检查发现分类设施不全、混装混运。',
    };
    const path: string[] =
      ending === 'CLOSED'
        ? ['OPENED', 'RECTIFICATION_NOTICE_ISSUED', 'FOLLOW_UP_DUE', 'CLOSED']
        : ending === 'UPHELD' || ending === 'OVERTURNED'
          ? [...LADDER, ending]
          : LADDER.slice(0, LADDER.indexOf(ending) + 1);
    const day = (offset: number) => addDays(opened, offset);
    const when: Record<string, [string, string | null]> = {
      OPENED: [at(day(0), 9), null],
      RECTIFICATION_NOTICE_ISSUED: [at(day(1), 10), `整改期限 ${day(15)}`],
      FOLLOW_UP_DUE: [at(day(15), 0), '整改期限已到，待复查'],
      CLOSED: [at(day(16), 15), '复查已整改'],
      NOT_RECTIFIED: [at(day(16), 15), '复查仍未整改'],
      PENALISED: [at(day(20), 11), `罚款 ${target.fine} 元`],
      APPEALED: [at(day(30), 14), '当事人对处罚提出申诉'],
      UPHELD: [at(day(38), 16), '听证后维持原处罚'],
      OVERTURNED: [at(day(38), 16), '听证后认定证据不足，撤销处罚'],
    };
    path.forEach((to, i) => steps.push({ caseId: id, from: i === 0 ? null : path[i - 1], to, at: when[to][0], note: when[to][1] }));
    if (path.includes('RECTIFICATION_NOTICE_ISSUED'))
      Object.assign(row, { complyBy: day(15), notice: '请于期限内完成整改，逾期将依法处罚。' });
    if (path.includes('CLOSED')) Object.assign(row, { complied: true });
    if (path.includes('NOT_RECTIFIED')) Object.assign(row, { complied: false });
    if (path.includes('PENALISED'))
      Object.assign(row, { fine: target.fine, decidedOn: day(20), penaltyNote: '逾期未整改，依法处罚。', deadline: addDays(day(20), 60) });
    if (path.includes('APPEALED')) Object.assign(row, { grounds: '对检查结果有异议', appealedAt: when.APPEALED[0] });
    if (ending === 'UPHELD' || ending === 'OVERTURNED')
      Object.assign(row, { outcome: ending, hearing: when[ending][1], decidedAt: when[ending][0] });
    cases.push(row);
  }
  await execute(
    dataSource,
    `INSERT INTO enforcement_case (id, target_kind, household_id, institution_id, floating_population, org_unit_id, article_code,
       evidence_description, state, opened_at, opened_by, comply_by, notice_text, complied, fine_amount, penalty_decided_on, penalty_note,
       appeal_deadline, appeal_grounds, appealed_at, appeal_outcome, hearing_note, appeal_decided_at)
     SELECT id, "targetKind", "householdId", "institutionId", floating, "orgUnitId", article, evidence, state, "openedAt", 'demo-seed',
            "complyBy", notice, complied, fine, "decidedOn", "penaltyNote", deadline, grounds, "appealedAt", outcome, hearing, "decidedAt"
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, "targetKind" text, "householdId" uuid, "institutionId" uuid, floating boolean,
            "orgUnitId" uuid, article text, evidence text, state text, "openedAt" timestamptz, "complyBy" date, notice text, complied boolean,
            fine numeric, "decidedOn" date, "penaltyNote" text, deadline date, grounds text, "appealedAt" timestamptz, outcome text,
            hearing text, "decidedAt" timestamptz)`,
    [JSON.stringify(cases)],
  );
  await execute(
    dataSource,
    `INSERT INTO case_history (case_id, from_state, to_state, at, actor, note)
     SELECT "caseId", "from", "to", at, 'demo-seed', note FROM jsonb_to_recordset($1::jsonb) AS s("caseId" uuid, "from" text, "to" text, at timestamptz, note text)`,
    [JSON.stringify(steps)],
  );
  await execute(
    dataSource,
    `INSERT INTO case_follow_up_task (case_id, due_on, created_at, created_by, completed_at)
     SELECT c.id, c.comply_by, h.at, 'demo-seed', CASE WHEN c.complied IS NOT NULL THEN h.at + interval '1 day 15 hours' END
       FROM enforcement_case c JOIN case_history h ON h.case_id = c.id AND h.to_state = 'FOLLOW_UP_DUE'`,
  );
  // Penalties that are final today were exported and delivered: the first attempt succeeded.
  const exported = await createDueRecords(dataSource, new Date(), today);
  await execute(
    dataSource,
    `WITH delivered AS (
       UPDATE credit_export SET state = 'DELIVERED', attempts = 1, delivered_at = created_at WHERE state = 'PENDING' RETURNING id, created_at
     )
     INSERT INTO credit_export_attempt (export_id, attempt, attempted_at, status_code, duration_ms) SELECT id, 1, created_at, 200, 120 FROM delivered`,
  );
  return `${cases.length} cases, ${exported} credit/points exports`;
}
