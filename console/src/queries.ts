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
