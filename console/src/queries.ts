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
