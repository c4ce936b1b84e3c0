import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { monthStart } from '#libs/calendar';
import { SqlParams, queryOne, queryRows } from '#libs/database';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { DistrictMonthBlocker, DistrictMonthBlockerCode as Code } from '#libs/references';
import {
  DistrictMonthNotices,
  NoticeWaitReason,
  type DistrictMonthNoticeWait,
  type DistrictMonthNoticeWaitsArgs,
} from './district-month.models.js';

/** Institutions of one kind of wait named one by one in the blockers; the rest are counted in one more. */
export const WAITS_NAMED = 10;

/**
 * The notices of a month that wait for an institution, one row per institution and reason ($1: the month's first
 * day). UNKNOWN_INSTITUTION: held at generation because the institution is not in institution_copy yet (they are
 * made when it arrives). NOT_ENROLLED: made and released, still PENDING, for an institution with no usable API key
 * and no active webhook, so neither way out exists. Institution names as this service knows them (null if unknown).
 */
const WAITS = `(
  SELECT h.institution_id, 'UNKNOWN_INSTITUTION' AS reason, count(DISTINCT h.resident_id)::int AS residents, count(*)::int AS notices
    FROM held_notice h WHERE h.month = $1::date AND h.reason = 'UNKNOWN_INSTITUTION'
   GROUP BY h.institution_id
  UNION ALL
  SELECT n.institution_id, 'NOT_ENROLLED', count(DISTINCT n.resident_id)::int, count(*)::int
    FROM notice n
   WHERE n.month = $1::date AND n.withdrawn_at IS NULL AND n.released_at IS NOT NULL AND n.state = 'PENDING'
     AND NOT EXISTS (SELECT 1 FROM institution_api_key k WHERE k.institution_id = n.institution_id AND k.revoked_at IS NULL
                        AND (k.expires_at IS NULL OR k.expires_at > now()))
     AND NOT EXISTS (SELECT 1 FROM webhook_endpoint e WHERE e.institution_id = n.institution_id AND e.state = 'ACTIVE')
   GROUP BY n.institution_id
) w LEFT JOIN institution_copy i ON i.id = w.institution_id`;

const WAIT_COLUMNS = `w.institution_id AS "institutionId", i.name AS "institutionName", w.reason, w.residents, w.notices`;

/** notifications' part of the month at a glance, from its own tables only. */
@Injectable()
export class DistrictMonthNoticesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async notices(month: string): Promise<DistrictMonthNotices & { month: string }> {
    const start = monthStart(month);
    const figures = await queryOne<Omit<DistrictMonthNotices, 'blockers'>>(
      this.dataSource,
      `WITH m AS (SELECT count(*)::int AS districts, count(notices_generated_at)::int AS generated, max(notices_generated_at) AS generated_at,
                         sum(households)::int AS households
                    FROM evaluated_month WHERE month = $1::date),
            n AS (SELECT count(*)::int AS made, count(*) FILTER (WHERE state = 'PENDING')::int AS pending,
                         count(*) FILTER (WHERE state = 'SENT')::int AS sent,
                         count(*) FILTER (WHERE state IN ('DELIVERED', 'ACKNOWLEDGED'))::int AS delivered,
                         count(*) FILTER (WHERE state = 'FAILED')::int AS failed
                    FROM notice WHERE month = $1::date AND withdrawn_at IS NULL),
            w AS (SELECT coalesce(sum(w.residents), 0)::int AS residents, count(DISTINCT w.institution_id)::int AS institutions FROM ${WAITS})
       SELECT m.districts > 0 AS "monthReceived", m.districts > 0 AND m.generated = m.districts AS generated, m.generated_at AS "generatedAt",
              m.households AS "gradesExpected", (SELECT count(*)::int FROM graded_household WHERE month = $1::date) AS "gradesArrived",
              n.made, n.pending, n.sent, n.delivered, n.failed, w.residents AS "residentsWaiting", w.institutions AS "institutionsWaiting"
         FROM m, n, w`,
      [start],
    );
    const blockers = [...(await this.generationBlockers(start)), ...(await this.waitBlockers(start))];
    if (figures.failed > 0) {
      blockers.push(
        DistrictMonthBlocker.of(
          Code.NOTICE_DELIVERIES_FAILED,
          `${figures.failed} notices of the month could not be delivered by webhook.`,
          {
            count: figures.failed,
          },
        ),
      );
    }
    return Object.assign(new DistrictMonthNotices(), { ...figures, blockers, month });
  }

  /** The month's waits, largest first per reason. */
  waits(month: string, args: DistrictMonthNoticeWaitsArgs): Promise<ConnectionShape<DistrictMonthNoticeWait>> {
    const params = new SqlParams();
    params.add(monthStart(month));
    const where = args.reason ? [`w.reason = ${params.add(args.reason)}`] : [];
    return fetchKeysetPage<DistrictMonthNoticeWait, DistrictMonthNoticeWait>(
      this.dataSource,
      args,
      {
        select: WAIT_COLUMNS,
        from: WAITS,
        where,
        params,
        orderBy: ['w.reason', 'w.institution_id'],
        keyOf: (row) => [row.reason, row.institutionId],
      },
      (rows) => rows,
    );
  }

  /** A recorded month whose notices are not made says why: grades still arriving, or an earlier month first. */
  private async generationBlockers(start: string): Promise<DistrictMonthBlocker[]> {
    const waiting = await queryRows<{ households: number; arrived: number; earlier: string | null }>(
      this.dataSource,
      `SELECT e.households,
              (SELECT count(*)::int FROM graded_household g WHERE g.district_id = e.district_id AND g.month = e.month) AS arrived,
              (SELECT to_char(min(x.month), 'YYYY-MM') FROM evaluated_month x
                WHERE x.district_id = e.district_id AND x.month < e.month AND x.notices_generated_at IS NULL) AS earlier
         FROM evaluated_month e WHERE e.month = $1::date AND e.notices_generated_at IS NULL`,
      [start],
    );
    return waiting.map(({ households, arrived, earlier }) =>
      arrived < households
        ? DistrictMonthBlocker.of(
            Code.NOTICES_WAIT_FOR_GRADES,
            `Notices are made once every grade has arrived: ${arrived} of ${households} are here; the rest wait in a queue.`,
            { count: households - arrived },
          )
        : DistrictMonthBlocker.of(
            Code.NOTICES_WAIT_FOR_EARLIER_MONTH,
            `Notices wait for ${earlier ?? 'an earlier month'}'s, which are not made yet (months are made in order).`,
          ),
    );
  }

  /** One blocker per waiting institution (the largest first), at most WAITS_NAMED per reason, then one for the rest. */
  private async waitBlockers(start: string): Promise<DistrictMonthBlocker[]> {
    const rows = await queryRows<DistrictMonthNoticeWait & { rank: number; others: number; otherResidents: number }>(
      this.dataSource,
      `SELECT * FROM (
         SELECT ${WAIT_COLUMNS}, row_number() OVER (PARTITION BY w.reason ORDER BY w.residents DESC, w.institution_id)::int AS rank,
                (count(*) OVER (PARTITION BY w.reason))::int - ${WAITS_NAMED} AS others,
                (sum(w.residents) OVER (PARTITION BY w.reason))::int AS "otherResidents"
           FROM ${WAITS}) ranked
        WHERE rank <= ${WAITS_NAMED} + 1 ORDER BY reason DESC, rank`,
      [start],
    );
    const blockers: DistrictMonthBlocker[] = [];
    for (const reason of [NoticeWaitReason.UNKNOWN_INSTITUTION, NoticeWaitReason.NOT_ENROLLED]) {
      const ofReason = rows.filter((row) => row.reason === reason);
      const named = ofReason.filter((row) => row.rank <= WAITS_NAMED);
      const code = reason === NoticeWaitReason.UNKNOWN_INSTITUTION ? Code.NOTICES_WAIT_FOR_INSTITUTION : Code.NOTICES_WAIT_FOR_ENROLMENT;
      for (const wait of named)
        blockers.push(DistrictMonthBlocker.of(code, waitSentence(wait), { subjectId: wait.institutionId, count: wait.residents }));
      const rest = ofReason[0]?.others ?? 0;
      if (rest > 0) {
        const residents = ofReason[0].otherResidents - named.reduce((total, wait) => total + wait.residents, 0);
        blockers.push(
          DistrictMonthBlocker.of(code, `And ${rest} more institutions, with notices about ${residents} residents (see notices.waiting).`, {
            count: residents,
          }),
        );
      }
    }
    return blockers;
  }
}

function waitSentence(wait: DistrictMonthNoticeWait): string {
  const about = `${wait.notices} notices about ${wait.residents} residents`;
  return wait.reason === NoticeWaitReason.UNKNOWN_INSTITUTION
    ? `${about} wait for institution ${wait.institutionId}, which notifications does not know yet; they are made when organization announces it.`
    : `${about} wait for ${wait.institutionName ?? wait.institutionId} (${wait.institutionId}), which has neither an API key nor an active webhook; issue it an enrolment code.`;
}
