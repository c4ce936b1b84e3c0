// The console's operations over the public graph. Their result and variable types are generated from these documents
// and the API schema (gateway/api-schema.graphql) by `npm run codegen` into generated/graphql.ts, which is committed;
// tools/src/__tests__/codegen.spec.ts fails when it is stale. Each document is typed with its operation's generated
// types, so a field the schema lacks or a mistyped variable fails to compile. An operation appended here compiles at
// once with a hand-written type, and takes its generated one after the next `npm run codegen`.
import { gql, type TypedDocumentNode } from '@apollo/client';
import type {
  ConsoleEvaluationRunFragment,
  ConsoleEvaluationRunQuery,
  ConsoleEvaluationRunQueryVariables,
  ConsoleHouseholdQuery,
  ConsoleHouseholdQueryVariables,
  ConsoleHouseholdRowFragment,
  ConsoleHouseholdsQuery,
  ConsoleHouseholdsQueryVariables,
  ConsoleMetricsQuery,
  ConsoleMetricsQueryVariables,
  ConsoleMetricsRowFragment,
  ConsoleRunEvaluationMutation,
  ConsoleRunEvaluationMutationVariables,
  ConsoleSortingStatsQuery,
  ConsoleSortingStatsQueryVariables,
  ConsoleSortingStatsRowFragment,
  ConsoleUnitsQuery,
  ConsoleUnitsQueryVariables,
  ConsoleViewerQuery,
  ConsoleViewerQueryVariables,
} from './generated/graphql';

/** The shapes the screens pass around, named after what they are; each is a generated operation's or fragment's. */
export type Unit = ConsoleUnitsQuery['orgUnits']['edges'][number]['node'];
export type MetricsRow = ConsoleMetricsRowFragment;
export type Figure = MetricsRow['figures'][number];
export type HouseholdRow = ConsoleHouseholdRowFragment;
export type Grade = ConsoleHouseholdQuery['householdGrades']['edges'][number]['node'];
export type SortingStatsRow = ConsoleSortingStatsRowFragment;
export type EvaluationRun = ConsoleEvaluationRunFragment;

export const VIEWER: TypedDocumentNode<ConsoleViewerQuery, ConsoleViewerQueryVariables> = gql`
  query ConsoleViewer {
    viewer {
      userId
      roles
      rolesLabelZh
      territory {
        id
        name
        kind
        labelZh
      }
    }
    districts: orgUnits(kind: DISTRICT, first: 1) {
      edges {
        node {
          id
          name
          kind
          labelZh
        }
      }
    }
  }
`;

export const UNITS: TypedDocumentNode<ConsoleUnitsQuery, ConsoleUnitsQueryVariables> = gql`
  query ConsoleUnits($kind: OrgUnitKind, $parentId: ID, $first: Int = 200) {
    orgUnits(kind: $kind, parentId: $parentId, first: $first) {
      totalCount
      edges {
        node {
          id
          name
          kind
          labelZh
        }
      }
    }
  }
`;

export const METRICS: TypedDocumentNode<ConsoleMetricsQuery, ConsoleMetricsQueryVariables> = gql`
  fragment ConsoleMetricsRow on DistrictMetrics {
    orgUnit {
      id
      name
      kind
      labelZh
    }
    month
    households
    figures {
      key
      labelZh
      value
      target
      numerator
      denominator
    }
  }
  query ConsoleMetrics($orgUnitId: ID!, $month: String!, $from: String!) {
    districtMetrics(orgUnitId: $orgUnitId, month: $month) {
      ...ConsoleMetricsRow
      children {
        ...ConsoleMetricsRow
      }
    }
    districtMetricsRange(orgUnitId: $orgUnitId, from: $from, to: $month) {
      ...ConsoleMetricsRow
    }
  }
`;

const HOUSEHOLD_ROW = gql`
  fragment ConsoleHouseholdRow on Household {
    id
    address
    addressMasked
    tenure
    floatingPopulation
    compound {
      id
      name
      parent {
        id
        name
      }
    }
  }
`;

export const HOUSEHOLDS: TypedDocumentNode<ConsoleHouseholdsQuery, ConsoleHouseholdsQueryVariables> = gql`
  ${HOUSEHOLD_ROW}
  query ConsoleHouseholds($orgUnitId: ID!, $first: Int!, $after: String) {
    households(orgUnitId: $orgUnitId, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...ConsoleHouseholdRow
        }
      }
    }
  }
`;

export const HOUSEHOLD: TypedDocumentNode<ConsoleHouseholdQuery, ConsoleHouseholdQueryVariables> = gql`
  ${HOUSEHOLD_ROW}
  query ConsoleHousehold($id: ID!) {
    household(id: $id) {
      ...ConsoleHouseholdRow
      labelZh
      building
      unit
      room
      createdAt
    }
    householdGrades(householdId: $id, first: 24) {
      totalCount
      edges {
        node {
          month
          status
          grade
          gradeLabelZh
          score
          inspectionCount
          issuesLabelZh
        }
      }
    }
  }
`;

export const SORTING_STATS: TypedDocumentNode<ConsoleSortingStatsQuery, ConsoleSortingStatsQueryVariables> = gql`
  fragment ConsoleSortingStatsRow on SortingStats {
    orgUnit {
      id
      name
      kind
      labelZh
    }
    households
    evaluated
    noEvidence
    qualified
    basicallyQualified
    unqualified
    passRate
    coverage
  }
  query ConsoleSortingStats($orgUnitId: ID!, $month: String!) {
    sortingStats(orgUnitId: $orgUnitId, month: $month) {
      ...ConsoleSortingStatsRow
      children {
        ...ConsoleSortingStatsRow
      }
    }
  }
`;

const EVALUATION_RUN_FIELDS = gql`
  fragment ConsoleEvaluationRun on EvaluationRun {
    id
    month
    status
    progress
    householdsEvaluated
    gradesChanged
    error
    createdAt
    finishedAt
  }
`;

export const RUN_EVALUATION: TypedDocumentNode<ConsoleRunEvaluationMutation, ConsoleRunEvaluationMutationVariables> = gql`
  ${EVALUATION_RUN_FIELDS}
  mutation ConsoleRunEvaluation($orgUnitId: ID!, $month: String!) {
    runMonthlyEvaluation(orgUnitId: $orgUnitId, month: $month) {
      ...ConsoleEvaluationRun
    }
  }
`;

export const EVALUATION_RUN: TypedDocumentNode<ConsoleEvaluationRunQuery, ConsoleEvaluationRunQueryVariables> = gql`
  ${EVALUATION_RUN_FIELDS}
  query ConsoleEvaluationRun($id: ID!) {
    evaluationRun(id: $id) {
      ...ConsoleEvaluationRun
    }
  }
`;

/** A run as the runs list shows it: who started it, over which unit, and its progress in households of the total. */
export interface EvaluationRunRow extends EvaluationRun {
  orgUnit: Unit;
  trigger: 'SCHEDULE' | 'MANUAL';
  householdsTotal: number | null;
  startedAt: string | null;
}

export interface EvaluationRunsData {
  evaluationRuns: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: EvaluationRunRow }[];
  };
}

export interface EvaluationRunsVariables {
  orgUnitId?: string;
  month?: string;
  trigger?: EvaluationRunRow['trigger'];
  status?: EvaluationRun['status'];
  first?: number;
  after?: string;
}

export const EVALUATION_RUNS: TypedDocumentNode<EvaluationRunsData, EvaluationRunsVariables> = gql`
  query ConsoleEvaluationRuns(
    $orgUnitId: ID
    $month: String
    $trigger: EvaluationTrigger
    $status: EvaluationRunStatus
    $first: Int = 20
    $after: String
  ) {
    evaluationRuns(orgUnitId: $orgUnitId, month: $month, trigger: $trigger, status: $status, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          month
          orgUnit {
            id
            name
            kind
            labelZh
          }
          trigger
          status
          progress
          householdsEvaluated
          householdsTotal
          gradesChanged
          error
          createdAt
          startedAt
          finishedAt
        }
      }
    }
  }
`;

export type DistrictMonthStage = 'NOT_STARTED' | 'EVALUATING' | 'OBJECTIONS_OPEN' | 'FOLLOWING_UP' | 'DONE';

export interface DistrictMonthBlocker {
  code: string;
  message: string;
  subjectId: string | null;
  count: number | null;
}

export interface NoticeWait {
  institutionId: string;
  institutionName: string | null;
  reason: string;
  residents: number;
  notices: number;
}

export interface NoticeWaits {
  totalCount: number;
  edges: { node: NoticeWait }[];
}

export interface DistrictMonthData {
  districtMonth: {
    month: string;
    stage: DistrictMonthStage;
    blockers: DistrictMonthBlocker[];
    evaluation: {
      households: number;
      graded: number;
      noEvidence: number;
      published: boolean;
      publishedAt: string | null;
      objectionWindowClosesAt: string | null;
      objectionWindowOpen: boolean;
      openObjections: number;
      runCount: number;
      runsInProgress: number;
      runsFailed: number;
    };
    notices: {
      monthReceived: boolean;
      generated: boolean;
      generatedAt: string | null;
      gradesExpected: number | null;
      gradesArrived: number;
      made: number;
      pending: number;
      sent: number;
      delivered: number;
      failed: number;
      residentsWaiting: number;
      institutionsWaiting: number;
      /** The waits of each reason, a first page each: an unknown institution is not lost among those not enrolled. */
      unknownInstitutions: NoticeWaits;
      notEnrolled: NoticeWaits;
    };
    vanguard: { scored: boolean; members: number; membersScored: number; computedAt: string | null };
    creditExports: { due: number; sent: number; failed: number; cancelled: number };
  };
}

/** The district's month across services (district-wide staff only; a street admin is refused OUT_OF_SCOPE). */
export const DISTRICT_MONTH: TypedDocumentNode<DistrictMonthData, { month: string }> = gql`
  query ConsoleDistrictMonth($month: String!) {
    districtMonth(month: $month) {
      month
      stage
      blockers {
        code
        message
        subjectId
        count
      }
      evaluation {
        households
        graded
        noEvidence
        published
        publishedAt
        objectionWindowClosesAt
        objectionWindowOpen
        openObjections
        runCount
        runsInProgress
        runsFailed
      }
      notices {
        monthReceived
        generated
        generatedAt
        gradesExpected
        gradesArrived
        made
        pending
        sent
        delivered
        failed
        residentsWaiting
        institutionsWaiting
        unknownInstitutions: waiting(reason: UNKNOWN_INSTITUTION, first: 20) {
          totalCount
          edges {
            node {
              institutionId
              institutionName
              reason
              residents
              notices
            }
          }
        }
        notEnrolled: waiting(reason: NOT_ENROLLED, first: 20) {
          totalCount
          edges {
            node {
              institutionId
              institutionName
              reason
              residents
              notices
            }
          }
        }
      }
      vanguard {
        scored
        members
        membersScored
        computedAt
      }
      creditExports {
        due
        sent
        failed
        cancelled
      }
    }
  }
`;

export interface Bureau {
  id: string;
  name: string;
}

export interface BureausData {
  institutions: { edges: { node: Bureau }[] };
}

/** The district's bureaus (DEPARTMENT institutions): the one leading an action, and whose calendar is subscribed to. */
export const BUREAUS: TypedDocumentNode<BureausData> = gql`
  query ConsoleBureaus {
    institutions(kind: DEPARTMENT, first: 200) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`;

export interface JointActionRow {
  id: string;
  title: string;
  status: 'SCHEDULED' | 'HELD' | 'REPORTED' | 'CANCELLED';
  labelZh: string;
  startsAt: string;
  endsAt: string;
  revision: number;
  leadBureau: Bureau;
  targetUnits: { id: string; name: string }[];
  history: { revision: number; labelZh: string; startsAt: string; endsAt: string; reason: string | null; changedAt: string }[];
  report: {
    findingsRecorded: number;
    casesOpened: number;
    casesRectified: number;
    households: number;
    passRateBefore: number | null;
    passRateAfter: number | null;
  } | null;
}

const JOINT_ACTION_FIELDS = gql`
  fragment ConsoleJointActionFields on JointAction {
    id
    title
    status
    labelZh
    startsAt
    endsAt
    revision
    leadBureau {
      id
      name
    }
    targetUnits {
      id
      name
    }
    history {
      revision
      labelZh
      startsAt
      endsAt
      reason
      changedAt
    }
    report {
      findingsRecorded
      casesOpened
      casesRectified
      households
      passRateBefore
      passRateAfter
    }
  }
`;

export interface JointActionsData {
  jointActions: { totalCount: number; edges: { node: JointActionRow }[] };
}

/** A month's actions (a page of 500: a district holds a few dozen a month). */
export const JOINT_ACTIONS: TypedDocumentNode<JointActionsData, { from: string; to: string; bureauId?: string }> = gql`
  query ConsoleJointActions($from: DateTime!, $to: DateTime!, $bureauId: ID) {
    jointActions(from: $from, to: $to, bureauId: $bureauId, first: 500) {
      totalCount
      edges {
        node {
          ...ConsoleJointActionFields
        }
      }
    }
  }
  ${JOINT_ACTION_FIELDS}
`;

export interface ScheduleJointActionVariables {
  input: { title: string; startsAt: string; endsAt: string; targetUnitIds: string[]; leadBureauId: string };
}

export const SCHEDULE_JOINT_ACTION: TypedDocumentNode<{ scheduleJointAction: JointActionRow }, ScheduleJointActionVariables> = gql`
  mutation ConsoleScheduleJointAction($input: ScheduleJointActionInput!) {
    scheduleJointAction(input: $input) {
      ...ConsoleJointActionFields
    }
  }
  ${JOINT_ACTION_FIELDS}
`;

export const RESCHEDULE_JOINT_ACTION: TypedDocumentNode<
  { rescheduleJointAction: JointActionRow },
  { id: string; startsAt: string; endsAt: string; reason: string }
> = gql`
  mutation ConsoleRescheduleJointAction($id: ID!, $startsAt: DateTime!, $endsAt: DateTime!, $reason: String!) {
    rescheduleJointAction(id: $id, startsAt: $startsAt, endsAt: $endsAt, reason: $reason) {
      ...ConsoleJointActionFields
    }
  }
  ${JOINT_ACTION_FIELDS}
`;

export const CANCEL_JOINT_ACTION: TypedDocumentNode<{ cancelJointAction: JointActionRow }, { id: string; reason: string }> = gql`
  mutation ConsoleCancelJointAction($id: ID!, $reason: String!) {
    cancelJointAction(id: $id, reason: $reason) {
      ...ConsoleJointActionFields
    }
  }
  ${JOINT_ACTION_FIELDS}
`;

/** A new secret .ics address for the bureau's calendar: the API shows it once and the old one stops working. */
export const ROTATE_BUREAU_CALENDAR: TypedDocumentNode<{ rotateBureauCalendarToken: { url: string; path: string } }, { bureauId: string }> =
  gql`
    mutation ConsoleRotateBureauCalendar($bureauId: ID!) {
      rotateBureauCalendarToken(bureauId: $bureauId) {
        url
        path
      }
    }
  `;

export interface ReportRow {
  id: string;
  categoryLabelZh: string;
  description: string;
  compound: { id: string; name: string } | null;
  status: string;
  statusLabelZh: string;
  channelLabelZh: string;
  submittedAt: string;
  dueAt: string;
  overdue: boolean;
  verified: boolean;
}

export interface ReportsData {
  reports: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: ReportRow }[];
  };
}

/** The triage queue: reports of the territory, newest first, a page at a time (the next after `after`). */
export const REPORTS: TypedDocumentNode<ReportsData, { orgUnitId: string; status?: string; first: number; after?: string }> = gql`
  query ConsoleReports($orgUnitId: ID!, $status: ReportStatus, $first: Int!, $after: String) {
    reports(orgUnitId: $orgUnitId, status: $status, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          categoryLabelZh
          description
          compound {
            id
            name
          }
          status
          statusLabelZh
          channelLabelZh
          submittedAt
          dueAt
          overdue
          verified
        }
      }
    }
  }
`;

export interface ReportDetail extends ReportRow {
  evidenceKind: string | null;
  evidenceCase: { id: string; state: string; stateLabelZh: string } | null;
  history: { actionLabelZh: string; toStatus: string; note: string | null; publicNote: string | null; actor: string; at: string }[];
}

const REPORT_FIELDS = gql`
  fragment ConsoleReportDetail on CitizenReport {
    id
    categoryLabelZh
    description
    compound {
      id
      name
    }
    status
    statusLabelZh
    channelLabelZh
    submittedAt
    dueAt
    overdue
    verified
    evidenceKind
    evidenceCase {
      id
      state
      stateLabelZh
    }
    history {
      actionLabelZh
      toStatus
      note
      publicNote
      actor
      at
    }
  }
`;

export const REPORT: TypedDocumentNode<{ report: ReportDetail }, { id: string }> = gql`
  query ConsoleReport($id: ID!) {
    report(id: $id) {
      ...ConsoleReportDetail
    }
  }
  ${REPORT_FIELDS}
`;

export const TRIAGE_REPORT: TypedDocumentNode<{ triageReport: ReportDetail }, { id: string; note?: string }> = gql`
  mutation ConsoleTriageReport($id: ID!, $note: String) {
    triageReport(id: $id, note: $note) {
      ...ConsoleReportDetail
    }
  }
  ${REPORT_FIELDS}
`;

export const VERIFY_REPORT: TypedDocumentNode<{ verifyReport: ReportDetail }, { id: string; note?: string }> = gql`
  mutation ConsoleVerifyReport($id: ID!, $note: String) {
    verifyReport(id: $id, note: $note) {
      ...ConsoleReportDetail
    }
  }
  ${REPORT_FIELDS}
`;

export interface CaseFormData {
  regulationArticles: { code: string; titleZh: string; targetKinds: string[]; appealWindowDays: number }[];
  households: { edges: { node: { id: string; address: string } }[] };
}

/** What opening a case from a report picks from: the articles, and the households of the report's compound. */
export const CASE_FORM: TypedDocumentNode<CaseFormData, { compoundId: string }> = gql`
  query ConsoleCaseForm($compoundId: ID!) {
    regulationArticles {
      code
      titleZh
      targetKinds
      appealWindowDays
    }
    households(orgUnitId: $compoundId, first: 500) {
      edges {
        node {
          id
          address
        }
      }
    }
  }
`;

export interface CaseDetail {
  id: string;
  targetKindLabelZh: string;
  householdId: string | null;
  institution: { id: string; name: string } | null;
  orgUnit: { id: string; name: string };
  article: { code: string; titleZh: string; minFine: number; maxFine: number; appealWindowDays: number };
  evidence: { description: string };
  citizenReportId: string | null;
  state: string;
  stateLabelZh: string;
  openedAt: string;
  complyBy: string | null;
  fineAmount: number | null;
  penaltyDecidedOn: string | null;
  appealDeadline: string | null;
  appealedAt: string | null;
  appealOutcomeLabelZh: string | null;
  history: { id: string; toStateLabelZh: string; at: string; actor: string; note: string | null }[];
}

const CASE_FIELDS = gql`
  fragment ConsoleCaseDetail on Case {
    id
    targetKindLabelZh
    householdId
    institution {
      id
      name
    }
    orgUnit {
      id
      name
    }
    article {
      code
      titleZh
      minFine
      maxFine
      appealWindowDays
    }
    evidence {
      description
    }
    citizenReportId
    state
    stateLabelZh
    openedAt
    complyBy
    fineAmount
    penaltyDecidedOn
    appealDeadline
    appealedAt
    appealOutcomeLabelZh
    history {
      id
      toStateLabelZh
      at
      actor
      note
    }
  }
`;

export const CASE: TypedDocumentNode<{ case: CaseDetail }, { id: string }> = gql`
  query ConsoleCase($id: ID!) {
    case(id: $id) {
      ...ConsoleCaseDetail
    }
  }
  ${CASE_FIELDS}
`;

export interface OpenCaseVariables {
  input: {
    targetKind: 'HOUSEHOLD';
    householdId: string;
    orgUnitId: string;
    articleCode: string;
    evidenceDescription: string;
    citizenReportId: string;
  };
  idempotencyKey: string;
}

export const OPEN_CASE: TypedDocumentNode<{ openCase: CaseDetail }, OpenCaseVariables> = gql`
  mutation ConsoleOpenCase($input: OpenCaseInput!, $idempotencyKey: String) {
    openCase(input: $input, idempotencyKey: $idempotencyKey) {
      ...ConsoleCaseDetail
    }
  }
  ${CASE_FIELDS}
`;
