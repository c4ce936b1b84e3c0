import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

/**
 * The month at a glance (`districtMonth`): one federated entity, `DistrictMonth @key(fields: "month")`, to which every
 * subgraph adds what it knows of the month from its own data. Households owns the query and the summary (stage and
 * blockers); notifications reports its own blockers, in this shape, and households lists them with the rest. Both
 * sides declare the same value type and codes, so they live here, shared like the entity stubs.
 */
export enum DistrictMonthBlockerCode {
  EVALUATION_RUN_FAILED = 'EVALUATION_RUN_FAILED',
  NOTICES_MONTH_NOT_RECEIVED = 'NOTICES_MONTH_NOT_RECEIVED',
  NOTICES_WAIT_FOR_GRADES = 'NOTICES_WAIT_FOR_GRADES',
  NOTICES_WAIT_FOR_EARLIER_MONTH = 'NOTICES_WAIT_FOR_EARLIER_MONTH',
  NOTICES_WAIT_FOR_INSTITUTION = 'NOTICES_WAIT_FOR_INSTITUTION',
  NOTICES_WAIT_FOR_ENROLMENT = 'NOTICES_WAIT_FOR_ENROLMENT',
  NOTICE_DELIVERIES_FAILED = 'NOTICE_DELIVERIES_FAILED',
  VANGUARD_NOT_SCORED = 'VANGUARD_NOT_SCORED',
  CREDIT_EXPORTS_FAILED = 'CREDIT_EXPORTS_FAILED',
}

registerEnumType(DistrictMonthBlockerCode, {
  name: 'DistrictMonthBlockerCode',
  description: "What holds a district's month up, and which service's work it is.",
  valuesMap: {
    EVALUATION_RUN_FAILED: {
      description: 'households: the latest run over the district failed and no later one completed; see the run and start it again.',
    },
    NOTICES_MONTH_NOT_RECEIVED: {
      description:
        "notifications: households published the month's grades but notifications has not recorded the month (its events wait in a queue).",
    },
    NOTICES_WAIT_FOR_GRADES: { description: "notifications: some of the month's grades have not arrived yet, so no notice is made." },
    NOTICES_WAIT_FOR_EARLIER_MONTH: {
      description: "notifications: an earlier month's notices are not made yet; months are made in order.",
    },
    NOTICES_WAIT_FOR_INSTITUTION: {
      description: 'notifications: notices about residents wait for an employer or school that notifications does not know yet.',
    },
    NOTICES_WAIT_FOR_ENROLMENT: {
      description:
        'notifications: released notices wait for an institution with neither an API key nor an active webhook, which cannot receive them until it enrols.',
    },
    NOTICE_DELIVERIES_FAILED: { description: 'notifications: notices whose webhook delivery failed for good.' },
    VANGUARD_NOT_SCORED: {
      description: "organization: the month is published but party members' vanguard index (先锋指数) is not computed.",
    },
    CREDIT_EXPORTS_FAILED: { description: 'enforcement: credit/points exports of the month that failed for good.' },
  },
});

@ObjectType({ description: "One reason a district's month is held up: a code to act on and a sentence for a person." })
@Directive('@shareable')
export class DistrictMonthBlocker {
  @Field(() => DistrictMonthBlockerCode, { description: 'What holds the month up (the value says which service).' })
  code: DistrictMonthBlockerCode;

  @Field({ description: 'The cause in one sentence, with the numbers and names that help.' })
  message: string;

  @Field(() => ID, { nullable: true, description: 'The record it is about, when one: the institution, the run.' })
  subjectId: string | null;

  @Field(() => Int, { nullable: true, description: 'How many things it holds up (residents, notices, exports), when counted.' })
  count: number | null;

  static of(code: DistrictMonthBlockerCode, message: string, extra: { subjectId?: string; count?: number } = {}): DistrictMonthBlocker {
    return Object.assign(new DistrictMonthBlocker(), { code, message, subjectId: extra.subjectId ?? null, count: extra.count ?? null });
  }
}

/** The description every subgraph gives DistrictMonth (composition would otherwise pick one subgraph's at random). */
export const DISTRICT_MONTH_DESCRIPTION =
  "A month of the district at a glance, across services, each adding its part from its own data: first the stage the month is at and what blocks it; then households' runs, grades and objection window, notifications' notices, organization's vanguard index (先锋指数) and enforcement's credit exports. Read by district-wide staff with EVALUATION_RUN (DISTRICT_ADMIN) only: notices, the index and exports are the district's, and no service cuts its part to one street.";

/** The month a federated DistrictMonth reference names (YYYY-MM), or null when it names none (it resolves to null). */
export function districtMonthOf(reference: { month?: unknown }): string | null {
  return typeof reference.month === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(reference.month) ? reference.month : null;
}

/**
 * DistrictMonth as a subgraph that only adds fields to it declares it: the key, and `reference` for its
 * `@ResolveReference`. Made when called, so households, which declares the entity with its own fields and the query,
 * never registers a second type of the name. No field of such a subgraph returns it: the subgraph publishes it as an
 * orphaned type (`publishEntityType`).
 */
export function districtMonthEntity() {
  @ObjectType('DistrictMonth', { description: DISTRICT_MONTH_DESCRIPTION })
  @Directive('@key(fields: "month")')
  class DistrictMonth {
    @Field({ description: 'YYYY-MM (Asia/Shanghai).' })
    month: string;

    static reference(reference: { month?: unknown }): DistrictMonth | null {
      const month = districtMonthOf(reference);
      return month ? Object.assign(new DistrictMonth(), { month }) : null;
    }
  }
  return DistrictMonth;
}
