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
