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
 * Who may call each operation of the notifications service, resolve its entities and read its personal data. The platform
 * enforces permissions (and whole-district reach) from here before any resolver runs; the services check the other
 * reaches against the records they load. See docs/privacy.md.
 */
export const notificationsPolicies: ServicePolicies = {
  operations: {
    // Staff issue one-time enrolment codes; only the institution ever sees a key's secret (redeeming, rotating).
    'Mutation.issueInstitutionEnrolment': [wholeDistrict(P.API_KEY_MANAGE)],
    'Mutation.cancelInstitutionEnrolment': [wholeDistrict(P.API_KEY_MANAGE)],
    'Query.institutionEnrolments': [wholeDistrict(P.API_KEY_MANAGE)],
    'Query.apiKeyAuditEvents': [wholeDistrict(P.API_KEY_MANAGE)],
    'Mutation.rotateInstitutionApiKey': [ofInstitution(P.INSTITUTION_SELF_SERVICE)],
    'Mutation.revokeInstitutionApiKey': [wholeDistrict(P.API_KEY_MANAGE), ofInstitution(P.INSTITUTION_SELF_SERVICE)],
    'Query.institutionApiKeys': [wholeDistrict(P.API_KEY_MANAGE), ofInstitution(P.INSTITUTION_SELF_SERVICE)],
    // A disclosure covers the district; its entries and their events are those of the caller's territory.
    'Query.publicDisclosures': [district(P.DISCLOSURE_PREPARE), district(P.NOTICE_READ)],
    'Query.publicDisclosure': [district(P.DISCLOSURE_PREPARE), district(P.NOTICE_READ)],
    'Mutation.excludeDisclosureEntry': [territory(P.DISCLOSURE_PREPARE, 'entryId')],
    'Mutation.includeDisclosureEntry': [territory(P.DISCLOSURE_PREPARE, 'entryId')],
    'Mutation.approvePublicDisclosure': [territory(P.DISCLOSURE_APPROVE, 'id')],
    'Mutation.publishPublicDisclosure': [territory(P.DISCLOSURE_APPROVE, 'id')],
    'Mutation.withdrawPublicDisclosure': [territory(P.DISCLOSURE_APPROVE, 'id')],
    // Media outlets read the disclosures shared with them (the published, masked text) and acknowledge publication.
    'Query.mediaDisclosures': [ofInstitution(P.INSTITUTION_SELF_SERVICE)],
    'Query.mediaDisclosure': [ofInstitution(P.INSTITUTION_SELF_SERVICE)],
    'Mutation.acknowledgeDisclosurePublication': [ofInstitution(P.INSTITUTION_SELF_SERVICE)],
    'Query.myNotices': [ofInstitution(P.INSTITUTION_SELF_SERVICE)],
    'Mutation.acknowledgeNotice': [ofInstitution(P.INSTITUTION_SELF_SERVICE)],
    'Query.notice': [territory(P.NOTICE_READ, 'id'), ofInstitution(P.INSTITUTION_SELF_SERVICE)],
    'Query.notices': [territory(P.NOTICE_READ)],
    'Query.myHouseholdNotices': [own(P.OWN_HOUSEHOLD_READ)],
    // Notices the month could not make (a minor without consent, an unknown institution), with masked names only.
    'Query.heldNotices': [territory(P.NOTICE_READ, 'orgUnitId')],
    'Query.noticeStats': [territory(P.NOTICE_READ, 'orgUnitId')],
    'Query.noticeRuleSets': [district(P.NOTICE_READ)],
    'Mutation.createNoticeRuleSet': [wholeDistrict(P.NOTICE_RULES_MANAGE)],
    'Query.noticeTemplate': [district(P.NOTICE_TEMPLATE_READ)],
    'Query.noticeTemplates': [district(P.NOTICE_TEMPLATE_READ)],
    'Mutation.registerWebhookEndpoint': [ofInstitution(P.INSTITUTION_SELF_SERVICE)],
    'Query.webhookEndpoints': [ofInstitution(P.INSTITUTION_SELF_SERVICE)],
    'Mutation.rotateWebhookSecret': [ofInstitution(P.INSTITUTION_SELF_SERVICE)],
    'Mutation.disableWebhookEndpoint': [ofInstitution(P.INSTITUTION_SELF_SERVICE)],
    'Mutation.enableWebhookEndpoint': [ofInstitution(P.INSTITUTION_SELF_SERVICE)],
    'Query.webhookDeliveries': [ofInstitution(P.INSTITUTION_SELF_SERVICE)],
    'Mutation.replayWebhookDelivery': [ofInstitution(P.INSTITUTION_SELF_SERVICE)],
    'Query.webhookPreferences': [ofInstitution(P.INSTITUTION_SELF_SERVICE)],
    'Mutation.setNoticeDigest': [ofInstitution(P.INSTITUTION_SELF_SERVICE)],
    'Query.webhookDeliveryHealth': [territory(P.NOTICE_READ)],
  },
  references: {
    // The month at a glance (households' districtMonth, for district-wide staff): the gateway fetches the notices here.
    DistrictMonth: [wholeDistrict(P.EVALUATION_RUN), district(P.MONTH_STATUS_READ)],
  },
  personalData: {
    // An institution reads the names of its own people in clear (it must know whom a notice is about); the read is audited.
    'Notice.residentName': personalData([P.PERSONAL_DATA_READ, P.INSTITUTION_SELF_SERVICE], Masking.PARTIAL),
    'Notice.textBody': personalData([P.PERSONAL_DATA_READ, P.INSTITUTION_SELF_SERVICE], Masking.PARTIAL),
    'InstitutionEnrolment.contactName': personalData([P.PERSONAL_DATA_READ], Masking.PARTIAL),
    'InstitutionEnrolment.contactPhone': personalData([P.PERSONAL_DATA_READ], Masking.PARTIAL),
  },
};
