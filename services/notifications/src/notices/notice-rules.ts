import { z } from 'zod';
import { DomainError } from '#libs/errors';
import { DistrictRuleSets } from '#libs/rule-sets';

/**
 * Which households of a graded month earn a notice to their residents' employers and schools (以评促优), as data
 * (a row of `notice_rule_set`, versioned per district). Every notice records the version that earned it.
 *
 * - Praise letter: graded QUALIFIED with a score of at least `praise.minScore`, and, when
 *   `praise.previousMonthQualified`, QUALIFIED the month before too (praise for a habit, not a lucky month).
 *   Optional, to praise the best rather than most (notice-sql.ts, earnedSql):
 *   - `consecutiveMonths` N ≥ 1: QUALIFIED this month and the N−1 months before;
 *   - `topShare` (0, 1]: only the best share of the household's community by score that month;
 *   - `capPerInstitution` ≥ 1: at most this many praise letters to one institution a month (highest scores first).
 * - Reminder notice: graded one of `reminder.grades` (UNQUALIFIED by default).
 * A household graded for neither gets no notice; one with no evidence never does.
 */
export const noticeRulesSchema = z.object({
  praise: z.object({
    enabled: z.boolean(),
    minScore: z.number().min(0).max(1000),
    previousMonthQualified: z.boolean(),
    consecutiveMonths: z
      .number()
      .int('must be a whole number of months')
      .min(1, 'must be at least 1 month')
      .max(24, 'must be at most 24 months')
      .optional(),
    topShare: z.number().gt(0, 'must be more than 0').max(1, 'must be at most 1 (every household)').optional(),
    capPerInstitution: z.number().int('must be a whole number').min(1, 'must be at least 1 letter').optional(),
  }),
  reminder: z.object({
    enabled: z.boolean(),
    grades: z.array(z.enum(['UNQUALIFIED', 'BASICALLY_QUALIFIED'])).min(1),
  }),
});

export type NoticeRules = z.infer<typeof noticeRulesSchema>;

export function parseNoticeRules(value: unknown): NoticeRules {
  const result = noticeRulesSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'rules'}: ${issue.message}`);
    throw DomainError.badInput(`The notice rules are not valid: ${problems.join('; ')}`, 'INVALID_RULES', { problems });
  }
  return { ...result.data, reminder: { ...result.data.reminder, grades: [...new Set(result.data.reminder.grades)] } };
}

export const NOTICE_RULE_SETS = new DistrictRuleSets<NoticeRules>('notice_rule_set', 'notice rules');
