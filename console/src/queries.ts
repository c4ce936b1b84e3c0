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
