import { Kind, parse, type ConstDirectiveNode, type FieldDefinitionNode, type ObjectTypeDefinitionNode } from 'graphql';
import { policyFor, type ServicePolicies } from '#libs/auth';

/**
 * Field names that look like personal data but are not, each with the reason. Any other field whose name looks like
 * personal data must have a personal-data policy in the service that resolves it.
 */
export const NOT_PERSONAL_DATA: Record<string, string> = {
  'Campaign.name': 'a campaign, not a person',
  'CollectionPoint.name': 'a place',
  'CollectionImport.fileName': "a transfer station's file",
  'DutyEscalation.escalatedToPartyOrgName': 'a party organisation',
  'DutyLog.partyOrgName': 'a party organisation',
  'DutyPeriod.partyOrgName': 'a party organisation',
  'DutyPeriod.escalatedToPartyOrgName': 'a party organisation',
  'EnforcementOfficer.name': 'a law-enforcement officer acting in office, named on every notice they serve',
  'EnforcementTeam.name': 'a team of a bureau',
  'ObserverTeam.name': 'a team of citizen observers',
  'Institution.name': 'an employer, school or bureau',
  'Leader.name': 'a public official of the leadership bodies, named in public documents',
  'MyDuty.partyOrgName': 'a party organisation',
  'OrgUnit.name': 'a unit of the territory',
  'PartyOrg.name': 'a party organisation',
  'PublishedVolunteerActivity.orgUnitName': 'a unit of the territory',
  'UnitAnnualAssessment.name': 'a party organisation or institution',
  'VolunteerActivity.orgUnitName': 'a unit of the territory',
  'VolunteerQuiz.orgUnitName': 'a unit of the territory',
  'VolunteerContest.orgUnitName': 'a unit of the territory',
  'VolunteerTeam.name': 'a team',
  'VolunteerTeam.compoundBranchName': 'a party branch',
  'Household.addressMasked': 'whether the address is masked',
  'DutyPeriod.memberNameMasked': 'always masked (张*明), for every reader',
  'DutyMemberCompliance.memberNameMasked': 'always masked (张*明), for every reader',
  'PublicDisclosureEntry.maskedName': 'always masked (张*明): the published public record',
  'GuardianConsent.guardianRelation': 'a relation (父亲, 母亲), naming nobody',
  'Notice.toGuardian': 'whether the notice is addressed to a guardian',
  'HouseholdNotice.toGuardian': 'whether the notice is addressed to a guardian',
  'HouseholdNotice.institutionName': 'an employer or school',
  'DistrictMonthNoticeWait.institutionName': 'an employer or school',
  'Resident.birthDatePrecision': 'how precisely the (withheld) birth date is known',
  'Resident.guardianConsent': 'an object whose guardian name and phone carry their own policies',
  'HeldNotice.residentName': 'always masked (张*明): only notices that are made keep a name',
  'Viewer.userId': "the caller's own account id",
  'CitizenReport.reporter': 'an object whose name and phone carry their own policies',
  'CitizenReport.addressText': 'a place a citizen reported, as public as the report (never their home by design)',
};

const PERSONAL_LOOKING = /name|phone|address|birth|guardian|reporter|contact/i;

function graphOf(directives: readonly ConstDirectiveNode[] | undefined, directive: string): string[] {
  return (directives ?? [])
    .filter((node) => node.name.value === directive)
    .filter(
      (node) => !node.arguments?.some((arg) => arg.name.value === 'resolvable' && arg.value.kind === Kind.BOOLEAN && !arg.value.value),
    )
    .flatMap(
      (node) =>
        node.arguments?.filter((arg) => arg.name.value === 'graph').map((arg) => (arg.value as { value: string }).value.toLowerCase()) ??
        [],
    );
}

function isEntity(type: ObjectTypeDefinitionNode, graph: string): boolean {
  return (type.directives ?? []).some(
    (node) =>
      node.name.value === 'join__type' &&
      node.arguments?.some((arg) => arg.name.value === 'graph' && (arg.value as { value: string }).value.toLowerCase() === graph) &&
      node.arguments.some((arg) => arg.name.value === 'key') &&
      !node.arguments.some((arg) => arg.name.value === 'resolvable' && arg.value.kind === Kind.BOOLEAN && !arg.value.value),
  );
}

/** The subgraphs that resolve a field: its `@join__field` graphs, or its type's when the field names none. */
function ownersOf(field: FieldDefinitionNode, type: ObjectTypeDefinitionNode): string[] {
  const fieldGraphs = graphOf(field.directives, 'join__field');
  if (fieldGraphs.length > 0) return fieldGraphs;
  const hasJoinField = (field.directives ?? []).some((node) => node.name.value === 'join__field');
  return hasJoinField ? [] : graphOf(type.directives, 'join__type');
}

/**
 * Walks the composed supergraph and lists what has no declared policy: every root field (in the service that
 * resolves it), every entity a service resolves by reference, and every field whose name looks like personal data.
 */
export function supergraphPolicyProblems(supergraphSdl: string, policies: Record<string, ServicePolicies>): string[] {
  const problems: string[] = [];
  const types = parse(supergraphSdl).definitions.filter(
    (node): node is ObjectTypeDefinitionNode => node.kind === Kind.OBJECT_TYPE_DEFINITION,
  );
  for (const type of types) {
    const root = type.name.value === 'Query' || type.name.value === 'Mutation' || type.name.value === 'Subscription';
    for (const field of type.fields ?? []) {
      const key = `${type.name.value}.${field.name.value}`;
      for (const service of ownersOf(field, type)) {
        const servicePolicies = policyFor(policies, service);
        if (!servicePolicies) problems.push(`${key}: no policies for service ${service}`);
        else if (root && !policyFor(servicePolicies.operations, key)?.length) problems.push(`${key} (${service}) has no access policy`);
        else if (
          !root &&
          PERSONAL_LOOKING.test(field.name.value) &&
          !policyFor(servicePolicies.personalData, key) &&
          !policyFor(NOT_PERSONAL_DATA, key)
        ) {
          problems.push(`${key} (${service}) looks like personal data but has no personal-data policy`);
        }
      }
    }
    if (root) continue;
    for (const service of Object.keys(policies)) {
      if (isEntity(type, service) && !policyFor(policies[service].references, type.name.value)?.length) {
        problems.push(`reference to ${type.name.value} (${service}) has no access policy`);
      }
    }
  }
  return problems;
}
