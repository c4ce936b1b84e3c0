import type { DataSource } from 'typeorm';
import { addDays, shanghaiDate } from '#libs/calendar';
import { execute, queryFirst, queryRows } from '#libs/database';
import type { DistrictPlan } from '#libs/demo-data';

/** Bureaus that enforce waste sorting; each may act anywhere in the district (their remit is the district). */
export const ENFORCING_BUREAUS = [
  '鄞州区综合行政执法局',
  '鄞州区住房和城乡建设局',
  '鄞州区市场监督管理局',
  '宁波市生态环境局鄞州分局',
  '宁波市公安局鄞州分局',
];
const OFFICER_NAMES = ['王建国', '李卫东', '张海燕', '陈志强', '刘晓梅', '杨国平', '赵丽娟', '周文斌', '吴建华', '徐春燕'];

/**
 * Remits, teams and officers of the enforcing bureaus, and two joint actions per street in its current quarterly
 * campaign (the seeded quarter containing today, or the latest seeded one; created only when there is none): one in the quarter's first weeks (mornings), one six weeks later (afternoons), each street on its own
 * day, so nothing is double-booked. Bookings are written from the plan's paths: the territory copy may still be
 * arriving while the demo is seeded.
 */
export async function seedJointActions(dataSource: DataSource, plan: DistrictPlan): Promise<string> {
  const bureaus = ENFORCING_BUREAUS.map((name) => plan.institutions.find((i) => i.kind === 'DEPARTMENT' && i.name === name)).filter(
    (b) => b !== undefined,
  );
  if (bureaus.length === 0) return 'no joint actions (no enforcing bureaus in the plan)';
  await execute(dataSource, `INSERT INTO bureau_remit (bureau_id, org_unit_id, granted_by) SELECT unnest($1::uuid[]), $2, 'demo-seed'`, [
    bureaus.map((b) => b.id),
    plan.district.id,
  ]);
  const teams = await queryRows<{ id: string; bureauId: string }>(
    dataSource,
    `INSERT INTO enforcement_team (bureau_id, name)
     SELECT b.id, squad FROM unnest($1::uuid[]) AS b(id) CROSS JOIN unnest(ARRAY['一中队', '二中队']) AS squad
     RETURNING id::text, bureau_id::text AS "bureauId"`,
    [bureaus.map((b) => b.id)],
  );
  const officers = await queryRows<{ id: string; bureauId: string }>(
    dataSource,
    `INSERT INTO enforcement_officer (bureau_id, name, user_id)
     SELECT (($1::uuid[])[(n - 1) % cardinality($1::uuid[]) + 1]), name, 'demo-officer-' || n
       FROM unnest($2::text[]) WITH ORDINALITY AS o(name, n)
     RETURNING id::text, bureau_id::text AS "bureauId"`,
    [bureaus.map((b) => b.id), OFFICER_NAMES],
  );

  // The seeded quarter that contains today, else the latest seeded one (the demo's year is fixed), else today's.
  const today = shanghaiDate();
  const seeded = await queryFirst<{ startsOn: string }>(
    dataSource,
    `SELECT starts_on::text AS "startsOn" FROM campaign WHERE kind = 'QUARTERLY_JOINT_ACTION'
      ORDER BY ($1::date BETWEEN starts_on AND ends_on) DESC, starts_on DESC LIMIT 1`,
    [today],
  );
  const quarterStart =
    seeded?.startsOn ?? `${today.slice(0, 4)}-${String(Math.floor((Number(today.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
  const month = Number(quarterStart.slice(5, 7));
  const quarterEnd =
    month === 10
      ? `${quarterStart.slice(0, 4)}-12-31`
      : addDays(`${quarterStart.slice(0, 4)}-${String(month + 3).padStart(2, '0')}-01`, -1);
  const quarter = Math.floor((month - 1) / 3) + 1;
  const lead = bureaus[0];
  const actions: {
    street: string;
    path: string[];
    title: string;
    startsAt: string;
    endsAt: string;
    teams: string[];
    officers: string[];
  }[] = [];
  for (const [index, street] of plan.streets.entries()) {
    for (const [slot, [offset, from, to]] of (
      [
        [index, '09:00', '12:00'],
        [index + 45, '14:00', '17:00'],
      ] as const
    ).entries()) {
      const day = addDays(quarterStart, offset % 88);
      const team = teams[(index * 2 + slot) % teams.length];
      const partner = teams.find((t) => t.bureauId !== team.bureauId && teams.indexOf(t) % 2 === slot) ?? team;
      const officer = officers[(index + slot) % officers.length];
      actions.push({
        street: street.id,
        path: street.path,
        title: `${street.name}第${quarter}季度联合执法行动（第${slot + 1}次）`,
        startsAt: `${day}T${from}:00+08:00`,
        endsAt: `${day}T${to}:00+08:00`,
        teams: [...new Set([team.id, partner.id])],
        officers: [officer.id],
      });
    }
  }
  await dataSource.transaction(async (manager) => {
    await execute(
      manager,
      `INSERT INTO campaign (kind, name, state, starts_on, ends_on, target_unit_ids, bureau_ids, lead_bureau_id, created_by)
       SELECT 'QUARTERLY_JOINT_ACTION', s.name || $5, 'ACTIVE', $1::date, $2::date, ARRAY[s.id], $3::uuid[], $4, 'demo-seed'
         FROM jsonb_to_recordset($6::jsonb) AS s(id uuid, name text)
        WHERE NOT EXISTS (SELECT 1 FROM campaign c WHERE c.kind = 'QUARTERLY_JOINT_ACTION' AND c.starts_on = $1::date AND c.target_unit_ids = ARRAY[s.id])`,
      [
        quarterStart,
        quarterEnd,
        bureaus.map((b) => b.id),
        lead.id,
        `${quarterStart.slice(0, 4)}年第${quarter}季度管执联动行动`,
        JSON.stringify(plan.streets.map((s) => ({ id: s.id, name: s.name }))),
      ],
    );
    await execute(
      manager,
      `WITH input AS (
         SELECT a.*, (SELECT c.id FROM campaign c WHERE c.kind = 'QUARTERLY_JOINT_ACTION' AND c.starts_on = $1::date AND c.target_unit_ids = ARRAY[a.street] LIMIT 1) AS campaign_id
           FROM jsonb_to_recordset($2::jsonb) AS a(street uuid, path uuid[], title text, "startsAt" timestamptz, "endsAt" timestamptz, teams uuid[], officers uuid[])
       ), actions AS (
         INSERT INTO joint_action (campaign_id, title, starts_at, ends_at, lead_bureau_id, target_unit_ids, team_ids, officer_ids, status, created_by)
         SELECT campaign_id, title, "startsAt", "endsAt", $3, ARRAY[street], teams, officers, 'SCHEDULED', 'demo-seed' FROM input
         RETURNING id, starts_at, ends_at, target_unit_ids[1] AS street, team_ids, officer_ids
       ), revisions AS (
         INSERT INTO joint_action_revision (action_id, revision, kind, starts_at, ends_at, changed_by)
         SELECT id, 0, 'SCHEDULED', starts_at, ends_at, 'demo-seed' FROM actions
       )
       INSERT INTO joint_action_booking (action_id, resource_kind, resource_id, mode, during)
       SELECT a.id, 'TEAM', t, 0, tstzrange(a.starts_at, a.ends_at, '[)') FROM actions a CROSS JOIN unnest(a.team_ids) AS t
       UNION ALL SELECT a.id, 'OFFICER', o, 0, tstzrange(a.starts_at, a.ends_at, '[)') FROM actions a CROSS JOIN unnest(a.officer_ids) AS o
       UNION ALL SELECT a.id, 'UNIT', p, CASE WHEN p = a.street THEN 0 ELSE 1 END, tstzrange(a.starts_at, a.ends_at, '[)')
         FROM actions a JOIN input i ON i.street = a.street AND i."startsAt" = a.starts_at CROSS JOIN unnest(i.path) AS p`,
      [quarterStart, JSON.stringify(actions), lead.id],
    );
  });
  return `${bureaus.length} bureau remits, ${teams.length} teams, ${officers.length} officers, ${actions.length} joint actions`;
}
