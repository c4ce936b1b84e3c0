import { Role } from '#libs/auth';
import type { TestPlatform } from './platform.js';

export interface EnrolledInstitution {
  /** The whole API key (wsk_…), to send as x-api-key. */
  key: string;
  apiKeyId: string;
  prefix: string;
  enrolmentId: string;
  /** The staff member (token subject) who issued the enrolment code. */
  issuedBy: string;
}

export interface EnrolOptions {
  /** A staff token with API_KEY_MANAGE; a district admin's by default. */
  staffToken?: string;
  label?: string;
}

const ISSUE = `mutation($institution: ID!, $label: String!, $contact: String!) {
  issueInstitutionEnrolment(institutionId: $institution, label: $label, contactName: $contact) { code enrolment { id issuedBy } } }`;

/**
 * Gives an institution an API key the way production does: staff issue an enrolment code through the gateway, and
 * the institution redeems it at the gateway's `POST /api-keys/enrol`, which answers the key.
 */
export async function enrolInstitution(
  platform: TestPlatform,
  institutionId: string,
  options: EnrolOptions = {},
): Promise<EnrolledInstitution> {
  const staffToken = options.staffToken ?? (await platform.token([Role.DISTRICT_ADMIN], null, 'test-key-officer'));
  const issued = await platform.query(staffToken, ISSUE, {
    institution: institutionId,
    label: options.label ?? '测试系统',
    contact: '王老师',
  });
  if (issued.errors) throw new Error(`issueInstitutionEnrolment failed: ${JSON.stringify(issued.errors)}`);
  const { code, enrolment } = issued.data!.issueInstitutionEnrolment as { code: string; enrolment: { id: string; issuedBy: string } };
  const response = await redeemEnrolment(platform, code);
  if (response.status !== 201) throw new Error(`POST /api-keys/enrol answered ${response.status}: ${JSON.stringify(response.body)}`);
  const { secret, apiKey } = response.body as { secret: string; apiKey: { id: string; prefix: string } };
  return { key: secret, apiKeyId: apiKey.id, prefix: apiKey.prefix, enrolmentId: enrolment.id, issuedBy: enrolment.issuedBy };
}

/** POSTs an enrolment code to the gateway as an institution would; the status and JSON body as answered. */
export async function redeemEnrolment(platform: TestPlatform, code: string): Promise<{ status: number; body: any }> {
  const response = await fetch(new URL('/api-keys/enrol', platform.gatewayUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  return { status: response.status, body: await response.json() };
}
