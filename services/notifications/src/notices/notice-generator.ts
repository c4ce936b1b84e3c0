import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { addMonths, monthStart, shanghaiDate } from '#libs/calendar';
import { execute, queryFirst, queryOne, queryRows } from '#libs/database';
import type { RuleSetRow } from '#libs/rule-sets';
import { prepareDisclosureDraft } from '../disclosure/disclosure-draft.js';
import { announceWithdrawals } from '../webhooks/webhook-fan-out.js';
import { releaseNotices } from './notice-release.js';
import { NOTICE_RULE_SETS, type NoticeRules } from './notice-rules.js';
import { NoticeAddressees } from './notice-addressees.js';
import {
  CLEAR_HELD_NOTICES,
  GENERATE_NOTICES,
  NOTICE_WORDS,
  RECORD_HELD_NOTICES,
  WITHDRAW_UNEARNED_NOTICES,
  candidatesSql,
  dateInWords,
  monthInWords,
} from './notice-sql.js';

export interface GeneratedNotices {
  notices: number;
  institutions: string[];
  /** The notices this call added (none that existed already). */
  noticeIds: string[];
}

/**
 * Turns a district-month's grades into notices, once the month is complete here: households' completion event has
 * arrived (it says how many households the month has) and every one of those households' grades has arrived (grade
 * events may be processed after the completion event). Whichever arrives last triggers generation, so nothing waits
 * on a retry; the evaluated_month row, locked, makes it happen once. A resident whose notice cannot be made (an
 * institution not known here yet, a minor without a guardian's consent, …) has it held (held_notice, with why) and
 * the month proceeds for everyone else; when the institution arrives, its held notices are made.
 *
 * Notices are dated the day they are made: that is the date minority is decided on, and the date they carry.
 *
 * After that, a grade corrected for the month (late evidence, a re-run, an appeal) is applied by `applyCorrection`:
 * the notices the new grade no longer earns are withdrawn, and those it earns are added.
 */
@Injectable()
export class NoticeGenerator {
  private readonly logger = new Logger(NoticeGenerator.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly addressees: NoticeAddressees,
  ) {}

  /**
   * Generates the month's notices if it is complete and not generated yet; returns whether it did. A district's
   * months are decided in order: a month waits while an earlier month known here has no notices yet, because praise
   * for consecutive months reads the earlier months' grades, which may still be arriving (a backlog of months, as a
   * new installation's first start brings, is processed concurrently). Generating a month then tries the next one.
   */
  async generateWhenComplete(districtId: string, month: string): Promise<boolean> {
    const generated = await this.generateMonthWhenComplete(districtId, month);
    if (generated) await this.generateWhenComplete(districtId, addMonths(month, 1));
    return generated;
  }

  private async generateMonthWhenComplete(districtId: string, month: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const evaluated = await queryFirst<{ households: number; generated: boolean }>(
        manager,
        `SELECT households, notices_generated_at IS NOT NULL AS generated FROM evaluated_month WHERE district_id = $1 AND month = $2 FOR UPDATE`,
        [districtId, monthStart(month)],
      );
      if (!evaluated || evaluated.generated) return false;
      const { graded } = await queryOne<{ graded: number }>(
        manager,
        `SELECT count(*)::int AS graded FROM graded_household WHERE district_id = $1 AND month = $2`,
        [districtId, monthStart(month)],
      );
      if (graded < evaluated.households) {
        this.logger.log(`${month} of ${districtId} waits: ${graded}/${evaluated.households} grades here`);
        return false;
      }
      const earlier = await queryFirst<{ month: string }>(
        manager,
        `SELECT to_char(month, 'YYYY-MM') AS month FROM evaluated_month
          WHERE district_id = $1 AND month < $2 AND notices_generated_at IS NULL ORDER BY month LIMIT 1`,
        [districtId, monthStart(month)],
      );
      if (earlier) {
        this.logger.log(`${month} of ${districtId} waits for ${earlier.month}'s notices`);
        return false;
      }
      const ruleSet = await NOTICE_RULE_SETS.requireInForce(manager, districtId, month);
      const now = new Date();
      await this.loadAddressees(manager, districtId, month, ruleSet, null, now);
      const generated = await this.generate(manager, districtId, month, ruleSet, null, now);
      await execute(manager, `UPDATE evaluated_month SET notices_generated_at = now() WHERE district_id = $1 AND month = $2`, [
        districtId,
        monthStart(month),
      ]);
      this.logger.log(`${month} of ${districtId}: ${generated.notices} notices for ${generated.institutions.length} institutions`);
      return true;
    });
  }

  /**
   * Releases the notices of a generated month that may leave now (of `householdIds`, or all), after an objection
   * window closed or an objection was decided. Call it after the change that allows the release has committed: the
   * month's row, locked FOR UPDATE, waits for a generation or a correction in progress (they hold it FOR SHARE or FOR
   * UPDATE), so whichever commits last sees the other's work and nothing is left waiting.
   */
  async releaseWhenGenerated(districtId: string, month: string, householdIds: readonly string[] | null): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const row = await queryFirst<{ generated: boolean }>(
        manager,
        `SELECT notices_generated_at IS NOT NULL AS generated FROM evaluated_month WHERE district_id = $1 AND month = $2 FOR UPDATE`,
        [districtId, monthStart(month)],
      );
      if (!row?.generated) return 0;
      const released = await releaseNotices(manager, districtId, month, householdIds);
      if (released > 0) this.logger.log(`${month} of ${districtId}: ${released} notices released`);
      return released;
    });
  }

  /** Tries every month still waiting (after institutions arrive, say). */
  async generateWaitingMonths(): Promise<void> {
    const waiting = await queryRows<{ districtId: string; month: string }>(
      this.dataSource,
      `SELECT district_id AS "districtId", to_char(month, 'YYYY-MM') AS month FROM evaluated_month WHERE notices_generated_at IS NULL ORDER BY month`,
    );
    for (const { districtId, month } of waiting) await this.generateWhenComplete(districtId, month);
  }

  /**
   * Whether the month's notices have been generated, so a corrected grade should add its own. It waits for a
   * generation in progress (the row lock), so a correction stored meanwhile is not left out by both.
   */
  async generatedAlready(manager: EntityManager, districtId: string, month: string): Promise<boolean> {
    const row = await queryFirst<{ generated: boolean }>(
      manager,
      `SELECT notices_generated_at IS NOT NULL AS generated FROM evaluated_month WHERE district_id = $1 AND month = $2 FOR SHARE`,
      [districtId, monthStart(month)],
    );
    return row?.generated === true;
  }

  /**
   * Brings a generated month's notices of `householdIds` in line with their corrected grades, inside the caller's
   * transaction: first withdraws what the grades no longer earn (a reminder to the employer of a household found
   * QUALIFIED after all must not stand), telling the institutions that may have seen them; then generates what
   * they earn now. Idempotent: a redelivered correction finds nothing to withdraw and nothing missing.
   */
  async applyCorrection(
    manager: EntityManager,
    districtId: string,
    month: string,
    householdIds: string[],
  ): Promise<{ withdrawn: number; added: number }> {
    const ruleSet = await NOTICE_RULE_SETS.requireInForce(manager, districtId, month);
    const now = new Date();
    await this.loadAddressees(manager, districtId, month, ruleSet, householdIds, now);
    const withdrawn = await queryRows<{ id: string; institutionId: string }>(manager, WITHDRAW_UNEARNED_NOTICES, [
      monthStart(month),
      districtId,
      JSON.stringify(ruleSet.rules),
      householdIds,
    ]);
    await announceWithdrawals(
      manager,
      withdrawn.map((n) => n.id),
      withdrawn.map((n) => n.institutionId),
    );
    const added = await this.generate(manager, districtId, month, ruleSet, householdIds, now);
    return { withdrawn: withdrawn.length, added: added.notices };
  }

  /**
   * Makes the held notices of generated months whose institution is now known (institutions arrive on their own
   * events): each such month's households are brought in line as a correction would, in one transaction per month.
   */
  async releaseHeldForKnownInstitutions(): Promise<void> {
    const months = await queryRows<{ districtId: string; month: string; householdIds: string[] }>(
      this.dataSource,
      `SELECT h.district_id AS "districtId", to_char(h.month, 'YYYY-MM') AS month, array_agg(DISTINCT h.household_id)::text[] AS "householdIds"
         FROM held_notice h JOIN institution_copy i ON i.id = h.institution_id
        WHERE h.reason = 'UNKNOWN_INSTITUTION'
        GROUP BY h.district_id, h.month`,
    );
    for (const { districtId, month, householdIds } of months) {
      await this.dataSource.transaction(async (manager) => {
        if (await this.generatedAlready(manager, districtId, month)) await this.applyCorrection(manager, districtId, month, householdIds);
      });
    }
  }

  /** Asks households whom the month's notices (of `householdIds`, or all) are addressed to on `now`'s date. */
  private async loadAddressees(
    manager: EntityManager,
    districtId: string,
    month: string,
    ruleSet: RuleSetRow<NoticeRules>,
    householdIds: string[] | null,
    now: Date,
  ): Promise<void> {
    await this.addressees.load(manager, shanghaiDate(now), candidatesSql('$1', '$2', '$3', '$4'), [
      monthStart(month),
      districtId,
      JSON.stringify(ruleSet.rules),
      householdIds,
    ]);
  }

  /**
   * Generates, inside the caller's transaction, the notices `ruleSet` (the month's rules in force) earns for a month's
   * households (all when `householdIds` is null), and records those held back with why. The addressees must have
   * been loaded for the same households and date (loadAddressees).
   */
  private async generate(
    manager: EntityManager,
    districtId: string,
    month: string,
    ruleSet: RuleSetRow<NoticeRules>,
    householdIds: string[] | null,
    now: Date,
  ): Promise<GeneratedNotices> {
    await execute(manager, CLEAR_HELD_NOTICES, [monthStart(month), districtId, householdIds]);
    await execute(manager, RECORD_HELD_NOTICES, [monthStart(month), districtId, JSON.stringify(ruleSet.rules), householdIds]);
    const result = await queryOne<GeneratedNotices>(manager, GENERATE_NOTICES, [
      monthStart(month),
      districtId,
      JSON.stringify(ruleSet.rules),
      ruleSet.version,
      NOTICE_WORDS,
      monthInWords(month),
      dateInWords(shanghaiDate(now)),
      householdIds,
    ]);
    // Retirees and freelancers go to the month's public disclosure draft instead (an approved one is not changed).
    await prepareDisclosureDraft(manager, districtId, month, ruleSet, householdIds);
    // The notices that may leave now (the month's objection window closed, no objection open), with their webhook
    // deliveries, committed with them; the rest leave when the window closes or the objection is decided.
    await releaseNotices(manager, districtId, month, householdIds);
    return result;
  }
}
