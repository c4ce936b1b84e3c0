import {
  district,
  Masking,
  ofInstitution,
  own,
  Permission as P,
  personalData,
  type ServicePolicies,
  territory,
  wholeDistrict,
} from '#libs/auth';

/**
 * Who may call each operation of the enforcement service, resolve its entities and read its personal data. The platform
 * enforces permissions (and whole-district reach) from here before any resolver runs; the services check the other
 * reaches against the records they load. See docs/privacy.md.
 */
export const enforcementPolicies: ServicePolicies = {
  operations: {
    'Query.campaign': [territory(P.CAMPAIGN_READ, 'id')],
    'Query.campaigns': [territory(P.CAMPAIGN_READ)],
    'Mutation.createCampaign': [territory(P.CAMPAIGN_MANAGE)],
    'Mutation.changeCampaignState': [territory(P.CAMPAIGN_MANAGE, 'id')],
    'Mutation.setCampaignTargets': [territory(P.CAMPAIGN_MANAGE, 'id')],
    'Query.regulationArticles': [district(P.CASE_READ)],
    // A property manager reaches the cases against their own company and its assessment (checked by the service).
    'Query.case': [territory(P.CASE_READ, 'id'), ofInstitution(P.PROPERTY_COMPANY_SELF_SERVICE)],
    'Query.cases': [territory(P.CASE_READ), ofInstitution(P.PROPERTY_COMPANY_SELF_SERVICE)],
    'Query.propertyCompanyAssessment': [territory(P.CASE_READ), ofInstitution(P.PROPERTY_COMPANY_SELF_SERVICE)],
    // A company works across streets: its assessment counts the cases, compounds and reports in the caller's territory.
    'Query.propertyCompanyAssessmentOf': [territory(P.CASE_READ), ofInstitution(P.PROPERTY_COMPANY_SELF_SERVICE)],
    'Query.propertyAssessmentRuleSets': [district(P.CASE_READ), district(P.PROPERTY_COMPANY_SELF_SERVICE)],
    'Mutation.createPropertyAssessmentRuleSet': [territory(P.PROPERTY_ASSESSMENT_RULES_MANAGE, 'streetId')],
    'Mutation.openCase': [territory(P.CASE_MANAGE)],
    'Mutation.issueRectificationNotice': [territory(P.CASE_MANAGE)],
    'Mutation.recordFollowUp': [territory(P.CASE_MANAGE)],
    'Mutation.penalise': [territory(P.CASE_MANAGE)],
    'Mutation.appealPenalty': [territory(P.CASE_MANAGE)],
    'Mutation.decideAppeal': [territory(P.CASE_MANAGE)],
    'Mutation.revokePenalty': [territory(P.CASE_MANAGE)],
    'Query.creditExports': [territory(P.CASE_READ)],
    'Query.jointAction': [territory(P.CAMPAIGN_READ, 'id')],
    'Query.jointActions': [territory(P.CAMPAIGN_READ)],
    'Query.jointActionCoverage': [territory(P.CAMPAIGN_READ)],
    'Mutation.scheduleJointAction': [territory(P.JOINT_ACTION_SCHEDULE)],
    'Mutation.rescheduleJointAction': [territory(P.JOINT_ACTION_SCHEDULE, 'id')],
    'Mutation.cancelJointAction': [territory(P.JOINT_ACTION_SCHEDULE, 'id')],
    'Mutation.holdJointAction': [territory(P.JOINT_ACTION_SCHEDULE, 'id')],
    'Mutation.reportJointAction': [territory(P.JOINT_ACTION_SCHEDULE, 'id')],
    'Mutation.recordActionFinding': [territory(P.JOINT_ACTION_SCHEDULE, 'actionId')],
    // Who manages bureaus, or an officer of the bureau itself.
    'Mutation.rotateBureauCalendarToken': [wholeDistrict(P.BUREAU_MANAGE), own(P.JOINT_ACTION_SCHEDULE)],
    'Mutation.grantBureauRemit': [wholeDistrict(P.BUREAU_MANAGE)],
    'Mutation.revokeBureauRemit': [wholeDistrict(P.BUREAU_MANAGE)],
    'Query.bureauRemit': [territory(P.CAMPAIGN_READ, 'bureauId')],
    'Mutation.createEnforcementTeam': [wholeDistrict(P.BUREAU_MANAGE)],
    'Mutation.createEnforcementOfficer': [wholeDistrict(P.BUREAU_MANAGE)],
    // Reporters pick a category when they file; handlers triage by it.
    'Query.reportCategories': [district(P.REPORT_SUBMIT), district(P.REPORT_HANDLE)],
    'Query.reports': [territory(P.REPORT_HANDLE)],
    'Query.report': [territory(P.REPORT_HANDLE, 'id'), own(P.REPORT_SUBMIT)],
    'Query.myReports': [own(P.REPORT_SUBMIT)],
    'Mutation.submitReport': [own(P.REPORT_SUBMIT)],
    'Mutation.triageReport': [territory(P.REPORT_HANDLE, 'id')],
    'Mutation.assignReport': [territory(P.REPORT_HANDLE)],
    'Mutation.startReport': [territory(P.REPORT_HANDLE, 'id')],
    'Mutation.resolveReport': [territory(P.REPORT_HANDLE, 'id')],
    'Mutation.rejectReport': [territory(P.REPORT_HANDLE, 'id')],
    'Mutation.markReportDuplicate': [territory(P.REPORT_HANDLE, 'id')],
    'Mutation.reopenReport': [own(P.REPORT_SUBMIT)],
    'Mutation.withholdReportDescription': [territory(P.REPORT_HANDLE, 'id')],
    'Mutation.verifyReport': [territory(P.REPORT_HANDLE, 'id')],
    // Whoever may verify the report (its territory's handlers) makes it evidence against the household it names.
    'Mutation.recordInspectionFromReport': [territory(P.REPORT_HANDLE, 'citizenReportId')],
    // The citizen observer group is organised by street: street and district staff keep its roster and read its figures.
    'Query.observerTeams': [territory(P.OBSERVER_MANAGE, 'streetId')],
    'Query.citizenObservers': [territory(P.OBSERVER_MANAGE, 'streetId')],
    'Query.observerSummary': [territory(P.OBSERVER_MANAGE, 'streetId')],
    'Mutation.createObserverTeam': [territory(P.OBSERVER_MANAGE, 'streetId')],
    'Mutation.appointObserver': [territory(P.OBSERVER_MANAGE)],
    'Mutation.endObserverTerm': [territory(P.OBSERVER_MANAGE, 'id')],
  },
  references: {
    Campaign: [territory(P.CAMPAIGN_READ)],
    CitizenReport: [territory(P.REPORT_HANDLE), own(P.REPORT_SUBMIT)],
    // The month at a glance (households' districtMonth, for district-wide staff): the gateway fetches the exports part here.
    DistrictMonth: [wholeDistrict(P.EVALUATION_RUN), district(P.MONTH_STATUS_READ)],
  },
  personalData: {
    'ReportReporter.name': personalData([P.PERSONAL_DATA_READ], Masking.PARTIAL, { alsoTheirOwn: true }),
    'ReportReporter.phone': personalData([P.PERSONAL_DATA_READ], Masking.PARTIAL, { alsoTheirOwn: true }),
  },
};
