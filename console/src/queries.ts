// The console's operations over the public graph, with the shapes it reads. The fields are the API schema's
// (gateway/api-schema.graphql); Apollo checks nothing at build time, so keep each type beside its document.
import { gql, type TypedDocumentNode } from '@apollo/client';

export interface Unit {
  id: string;
  name: string;
  kind: string;
  labelZh: string;
}

export interface ViewerData {
  viewer: { userId: string; roles: string[]; rolesLabelZh: string[]; territory: Unit | null };
  districts: { edges: { node: Unit }[] };
}

export const VIEWER: TypedDocumentNode<ViewerData> = gql`
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

export interface UnitsData {
  orgUnits: { totalCount: number; edges: { node: Unit }[] };
}

export const UNITS: TypedDocumentNode<UnitsData, { kind?: string; parentId?: string; first?: number }> = gql`
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

export interface Figure {
  key: string;
  labelZh: string;
  value: number | null;
  target: number | null;
  numerator: number;
  denominator: number;
}

export interface MetricsRow {
  orgUnit: Unit;
  month: string;
  households: number;
  figures: Figure[];
}

export interface MetricsData {
  districtMetrics: MetricsRow & { children: MetricsRow[] };
  districtMetricsRange: MetricsRow[];
}

export const METRICS: TypedDocumentNode<MetricsData, { orgUnitId: string; month: string; from: string }> = gql`
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

export interface HouseholdRow {
  id: string;
  address: string;
  addressMasked: boolean;
  tenure: string;
  floatingPopulation: boolean;
  compound: { id: string; name: string; parent: { id: string; name: string } | null };
}

export interface HouseholdsData {
  households: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: HouseholdRow }[] };
}

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

export const HOUSEHOLDS: TypedDocumentNode<HouseholdsData, { orgUnitId: string; first: number; after?: string | null }> = gql`
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

export interface Grade {
  month: string;
  status: string;
  grade: string | null;
  gradeLabelZh: string | null;
  score: number | null;
  inspectionCount: number;
  issuesLabelZh: string[];
}

export interface HouseholdData {
  household: HouseholdRow & { labelZh: string; building: number; unit: number; room: number | null; createdAt: string };
  householdGrades: { totalCount: number; edges: { node: Grade }[] };
}

export const HOUSEHOLD: TypedDocumentNode<HouseholdData, { id: string }> = gql`
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

export interface SortingStatsRow {
  orgUnit: Unit;
  households: number;
  evaluated: number;
  noEvidence: number;
  qualified: number;
  basicallyQualified: number;
  unqualified: number;
  passRate: number | null;
  coverage: number | null;
}

export interface SortingStatsData {
  sortingStats: SortingStatsRow & { children: SortingStatsRow[] };
}

export const SORTING_STATS: TypedDocumentNode<SortingStatsData, { orgUnitId: string; month: string }> = gql`
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

export interface EvaluationRun {
  id: string;
  month: string;
  status: 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED';
  progress: number;
  householdsEvaluated: number;
  gradesChanged: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

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

export const RUN_EVALUATION: TypedDocumentNode<{ runMonthlyEvaluation: EvaluationRun }, { orgUnitId: string; month: string }> = gql`
  ${EVALUATION_RUN_FIELDS}
  mutation ConsoleRunEvaluation($orgUnitId: ID!, $month: String!) {
    runMonthlyEvaluation(orgUnitId: $orgUnitId, month: $month) {
      ...ConsoleEvaluationRun
    }
  }
`;

export const EVALUATION_RUN: TypedDocumentNode<{ evaluationRun: EvaluationRun }, { id: string }> = gql`
  ${EVALUATION_RUN_FIELDS}
  query ConsoleEvaluationRun($id: ID!) {
    evaluationRun(id: $id) {
      ...ConsoleEvaluationRun
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
