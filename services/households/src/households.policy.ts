import {
  district,
  grant,
  Masking,
  own,
  Permission as P,
  personalData,
  Reach,
  type ServicePolicies,
  SIGNED_IN,
  territory,
  wholeDistrict,
} from '#libs/auth';
import { RESPONSIBLE_PERSON_READERS } from './property/property-responsible.model.js';

/**
 * Who may call each operation of the households service, resolve its entities and read its personal data. The platform
 * enforces permissions (and whole-district reach) from here before any resolver runs; the services check the other
 * reaches against the records they load. See docs/privacy.md.
 */
export const householdsPolicies: ServicePolicies = {
  operations: {
    'Mutation.submitPhotoCheckIn': [territory(P.CHECK_IN_SUBMIT)],
    'Mutation.reviewPhotoCheckIn': [territory(P.CHECK_IN_REVIEW)],
    'Query.photoCheckIn': [territory(P.CHECK_IN_REVIEW, 'id'), own(P.CHECK_IN_SUBMIT)],
    'Query.photoCheckIns': [territory(P.CHECK_IN_REVIEW)],
    'Query.checkInQuotaFlags': [territory(P.CHECK_IN_REVIEW)],
    'Query.myPhotoCheckIns': [own(P.CHECK_IN_SUBMIT)],
    'Query.collectionPoint': [territory(P.TERRITORY_READ, 'id')],
    'Query.collectionPoints': [territory(P.TERRITORY_READ)],
    'Query.holidayCalendar': [district(SIGNED_IN)],
    'Mutation.setHolidayCalendar': [wholeDistrict(P.TERRITORY_MANAGE)],
    'Mutation.createCollectionPoint': [territory(P.COLLECTION_POINT_MANAGE)],
    'Mutation.updateCollectionPoint': [territory(P.COLLECTION_POINT_MANAGE, 'id')],
    'Mutation.deactivateCollectionPoint': [territory(P.COLLECTION_POINT_MANAGE, 'id')],
    'Query.collectionRecords': [territory(P.STATS_READ)],
    'Query.collectionImports': [territory(P.COLLECTION_RECORD_MANAGE)],
    'Mutation.recordCollection': [territory(P.COLLECTION_RECORD_MANAGE)],
    'Mutation.importCollectionRecords': [territory(P.COLLECTION_RECORD_MANAGE)],
    'Mutation.requestDoorToDoorCollection': [territory(P.COLLECTION_REQUEST_CREATE)],
    'Mutation.updateDoorToDoorCollection': [territory(P.COLLECTION_REQUEST_HANDLE, 'id')],
    'Mutation.cancelDoorToDoorCollection': [territory(P.COLLECTION_REQUEST_CREATE, 'id')],
    'Query.doorToDoorCollection': [territory(P.COLLECTION_REQUEST_HANDLE, 'id'), own(P.COLLECTION_REQUEST_CREATE)],
    'Query.doorToDoorCollections': [territory(P.COLLECTION_REQUEST_HANDLE)],
    'Query.myDoorToDoorCollections': [own(P.COLLECTION_REQUEST_CREATE)],
    // A property manager's reach is the compounds their company manages (checked by the service, like a territory).
    'Mutation.recordPropertyResponsiblePerson': [territory(P.PROPERTY_RESPONSIBLE_MANAGE, 'compoundId')],
    'Query.propertyResponsiblePersons': [territory(P.TERRITORY_READ), territory(P.PROPERTY_RESPONSIBLE_MANAGE)],
    'Mutation.runMonthlyEvaluation': [territory(P.EVALUATION_RUN, 'orgUnitId')],
    // Operators follow the runs to find a stuck month (MONTH_STATUS_READ: figures and ids, nothing about a person). They
    // reach no territory, so they list every run (no unit filter; one names a unit they cannot reach: OUT_OF_SCOPE).
    'Query.evaluationRun': [territory(P.EVALUATION_RUN, 'id')],
    'Query.evaluationRuns': [territory(P.EVALUATION_RUN, 'orgUnitId'), district(P.MONTH_STATUS_READ)],
    'Query.householdGrade': [territory(P.EVALUATION_READ, 'householdId')],
    'Query.householdGrades': [territory(P.EVALUATION_READ)],
    'Query.sortingStats': [territory(P.STATS_READ, 'orgUnitId')],
    // The month at a glance covers the district's notices, vanguard index and exports too: district-wide staff only.
    'Query.districtMonth': [wholeDistrict(P.EVALUATION_RUN), district(P.MONTH_STATUS_READ)],
    'Query.gradingRuleSets': [district(P.EVALUATION_READ)],
    'Mutation.createGradingRuleSet': [wholeDistrict(P.GRADING_RULES_MANAGE)],
    // A resident reads their own household (the service compares it with the token's household).
    'Query.household': [territory(P.HOUSEHOLD_READ, 'id'), own(P.OWN_HOUSEHOLD_READ)],
    'Query.households': [territory(P.HOUSEHOLD_READ)],
    'Query.caseFollowUpRequests': [territory(P.INSPECTION_RECORD)],
    'Mutation.recordInspection': [territory(P.INSPECTION_RECORD)],
    'Query.inspections': [territory(P.EVALUATION_READ)],
    'Query.districtMetrics': [territory(P.STATS_READ, 'orgUnitId')],
    'Query.districtMetricsRange': [territory(P.STATS_READ, 'orgUnitId')],
    'Mutation.recordFollowUpVisit': [territory(P.OUTREACH)],
    'Query.followUpVisits': [territory(P.OUTREACH), territory(P.STATS_READ)],
    'Query.householdClaim': [territory(P.OUTREACH, 'id'), territory(P.STATS_READ, 'id')],
    'Query.householdClaims': [territory(P.OUTREACH), territory(P.STATS_READ)],
    'Mutation.claimHousehold': [territory(P.OUTREACH, 'householdId')],
    'Mutation.assignHouseholdClaim': [territory(P.OUTREACH, 'householdId')],
    'Mutation.releaseHouseholdClaim': [territory(P.OUTREACH, 'claimId')],
    'Query.householdUpgrades': [territory(P.STATS_READ)],
    'Query.upgradeCount': [territory(P.STATS_READ)],
    'Query.outreachPlans': [district(P.OUTREACH), district(P.STATS_READ), district(P.OUTREACH_PLAN_MANAGE)],
    'Mutation.updateOutreachPlan': [wholeDistrict(P.OUTREACH_PLAN_MANAGE)],
    'Mutation.registerHousehold': [territory(P.REGISTRY_MANAGE)],
    'Mutation.updateHousehold': [territory(P.REGISTRY_MANAGE, 'id')],
    'Mutation.removeHousehold': [territory(P.REGISTRY_MANAGE, 'id')],
    'Mutation.addResident': [territory(P.REGISTRY_MANAGE, 'householdId')],
    'Mutation.updateResident': [territory(P.REGISTRY_MANAGE, 'id')],
    'Mutation.removeResident': [territory(P.REGISTRY_MANAGE, 'id')],
    // A resident signs their own household's letter in the app; staff record paper ones in their territory.
    'Mutation.recordCommitmentLetter': [territory(P.REGISTRY_MANAGE), own(P.COMMITMENT_LETTER_SIGN)],
    'Mutation.fileGradeObjection': [own(P.GRADE_OBJECTION_FILE)],
    'Mutation.decideGradeObjection': [territory(P.GRADE_OBJECTION_DECIDE, 'id')],
    'Query.gradeObjection': [territory(P.GRADE_OBJECTION_DECIDE, 'id'), own(P.GRADE_OBJECTION_FILE)],
    'Query.gradeObjections': [territory(P.GRADE_OBJECTION_DECIDE), own(P.GRADE_OBJECTION_FILE)],
    'Query.objectionWindow': [district(P.EVALUATION_READ)],
    'Mutation.setObjectionWindow': [wholeDistrict(P.GRADING_RULES_MANAGE)],
    // Only for a resident under 18; the resident's household must lie in the caller's territory.
    'Mutation.recordGuardianConsent': [territory(P.REGISTRY_MANAGE, 'residentId')],
    'Mutation.withdrawGuardianConsent': [territory(P.REGISTRY_MANAGE, 'residentId')],
  },
  references: {
    // Households the caller may see: inside their territory, or a resident's own (checked where they are loaded).
    Household: [grant(SIGNED_IN, Reach.TERRITORY)],
    CollectionPoint: [territory(P.TERRITORY_READ)],
    // As the inspections query: inside the caller's territory, or a resident's own household (checked where loaded).
    Inspection: [territory(P.EVALUATION_READ)],
    // As the districtMonth query: the gateway resolves its summary here for the caller who asked.
    DistrictMonth: [wholeDistrict(P.EVALUATION_RUN), district(P.MONTH_STATUS_READ)],
  },
  personalData: {
    'Household.address': personalData([P.PERSONAL_DATA_READ], Masking.PARTIAL, { alsoTheirOwn: true }),
    'Resident.name': personalData([P.PERSONAL_DATA_READ], Masking.PARTIAL, { alsoTheirOwn: true }),
    'Resident.phone': personalData([P.PERSONAL_DATA_READ], Masking.PARTIAL, { alsoTheirOwn: true }),
    'Resident.birthDate': personalData([P.PERSONAL_DATA_READ], Masking.WITHHELD),
    'GuardianConsent.guardianName': personalData([P.PERSONAL_DATA_READ], Masking.PARTIAL),
    'GuardianConsent.guardianPhone': personalData([P.PERSONAL_DATA_READ], Masking.PARTIAL),
    'PropertyResponsiblePerson.name': personalData(RESPONSIBLE_PERSON_READERS, Masking.PARTIAL),
    'PropertyResponsiblePerson.phone': personalData(RESPONSIBLE_PERSON_READERS, Masking.PARTIAL),
  },
};
