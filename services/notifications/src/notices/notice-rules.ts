import { z } from 'zod';
import { DomainError } from '#libs/errors';
import { DistrictRuleSets } from '#libs/rule-sets';

/**
 * Which households of a graded month earn a notice to their residents' employers and schools (以评促优), as data
 * (a row of `notice_rule_set`, versioned per district). Every notice records the version that earned it.
 *
 * - Praise letter: graded QUALIFIED with a score of at least `praise.minScore`, and, when
 *   `praise.previousMonthQualified`, QUALIFIED the month before too (praise for a habit, not a lucky month).
 * - Reminder notice: graded one of `reminder.grades` (UNQUALIFIED by default).
 * A household graded for neither gets no notice; one with no evidence never does.
 */
export const noticeRulesSchema = z.object({
  praise: z.object({
    enabled: z.boolean(),
    minScore: z.number().min(0).max(1000),
    previousMonthQualified: z.boolean(),
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
    throw DomainError.badInput('The notice rules are not valid', 'INVALID_RULES', {
      problems: result.error.issues.map((issue) => `${issue.path.join('.') || 'rules'}: ${issue.message}`),
    });
  }
  return { ...result.data, reminder: { ...result.data.reminder, grades: [...new Set(result.data.reminder.grades)] } };
}

export const NOTICE_RULE_SETS = new DistrictRuleSets<NoticeRules>('notice_rule_set', 'notice rules');
