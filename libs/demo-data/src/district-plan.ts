import { SeededRandom } from './random.js';
import {
  COMPOUND_SUFFIXES,
  DEPARTMENTS,
  EMPLOYER_TRADES,
  EMPLOYER_WORDS,
  MEDIA,
  NAME_HEADS,
  NAME_TAILS,
  SCHOOL_KINDS,
  STREETS,
} from './names.js';

export const DEMO_SEED = 20_260_101;
export const DEFAULT_DEMO_HOUSEHOLDS = 24_000;
/** The demo's graded months before the current one: a year, so trends, upgrades, campaign reports and praise shares show. */
export const DEFAULT_DEMO_GRADED_MONTHS = 12;

export type PlanUnitKind = 'DISTRICT' | 'STREET' | 'COMMUNITY' | 'COMPOUND';
export type PlanInstitutionKind = 'EMPLOYER' | 'SCHOOL' | 'DEPARTMENT' | 'PROPERTY_COMPANY' | 'MEDIA';

export interface PlanUnit {
  id: string;
  kind: PlanUnitKind;
  code: string;
  name: string;
  parentId: string | null;
  /** Ancestor ids from the district down to and including this unit. */
  path: string[];
}

export interface PlanCompound extends PlanUnit {
  propertyCompanyId: string;
  /** Relative size: households are spread over compounds in proportion to it. */
  weight: number;
}

export interface PlanInstitution {
  id: string;
  kind: PlanInstitutionKind;
  name: string;
  creditCode: string;
  /** Where it is: a street for schools and employers, the district for departments and media. */
  orgUnitId: string;
}

export interface DistrictPlan {
  seed: number;
  district: PlanUnit;
  streets: PlanUnit[];
  communities: PlanUnit[];
  compounds: PlanCompound[];
  institutions: PlanInstitution[];
}

export interface PlanOptions {
  seed?: number;
  /** Fewer streets make a small district for tests; the demo uses all 22. */
  streets?: number;
}

/**
 * The demo district: 鄞州区 with its 22 streets, 7–8 communities each, 3–5 compounds per community, and the schools,
 * employers, departments, property companies and media that notices go to. Every id and name comes from one seed.
 */
export function planDistrict(options: PlanOptions = {}): DistrictPlan {
  const seed = options.seed ?? DEMO_SEED;
  const random = new SeededRandom(seed);
  const district: PlanUnit = { id: random.uuid(), kind: 'DISTRICT', code: '330212000000', name: '鄞州区', parentId: null, path: [] };
  district.path = [district.id];
  const institutions: PlanInstitution[] = [];
  const creditCodes = new Set<string>();
  const institution = (kind: PlanInstitutionKind, name: string, orgUnitId: string) => {
    const item = { id: random.uuid(), kind, name, creditCode: creditCode(random, creditCodes), orgUnitId };
    institutions.push(item);
    return item;
  };

  for (const name of DEPARTMENTS) institution('DEPARTMENT', name, district.id);
  for (const name of MEDIA) institution('MEDIA', name, district.id);
  const propertyCompanies = uniqueNames(
    40,
    () => `宁波${random.pick(EMPLOYER_WORDS)}${random.pick(NAME_HEADS)}${random.pick(NAME_TAILS)}物业服务有限公司`,
  ).map((name) => institution('PROPERTY_COMPANY', name, district.id));

  const streets: PlanUnit[] = [];
  const communities: PlanUnit[] = [];
  const compounds: PlanCompound[] = [];
  const placeNames = uniqueNames(NAME_HEADS.length * NAME_TAILS.length, () => `${random.pick(NAME_HEADS)}${random.pick(NAME_TAILS)}`);
  let nextPlaceName = 0;

  STREETS.slice(0, options.streets ?? STREETS.length).forEach((street, s) => {
    const streetCode = `330212${String(s + 1).padStart(3, '0')}`;
    const streetUnit = child(district, 'STREET', `${streetCode}000`, street.name);
    streets.push(streetUnit);
    for (const kind of SCHOOL_KINDS.slice(0, random.int(2, 4))) institution('SCHOOL', `鄞州区${street.short}${kind}`, streetUnit.id);

    const communityCount = random.int(7, 8);
    for (let c = 1; c <= communityCount; c++) {
      const place = placeNames[nextPlaceName++ % placeNames.length];
      const village = street.town && random.chance(0.4);
      const community = child(streetUnit, 'COMMUNITY', `${streetCode}${String(c).padStart(3, '0')}`, `${place}${village ? '村' : '社区'}`);
      communities.push(community);
      const compoundNames = new Set<string>();
      const compoundCount = random.int(3, 5);
      for (let k = 1; k <= compoundCount; k++) {
        let name: string;
        do name = `${random.pick(NAME_HEADS)}${random.pick(NAME_TAILS)}${random.pick(COMPOUND_SUFFIXES)}`;
        while (compoundNames.has(name));
        compoundNames.add(name);
        compounds.push({
          ...child(community, 'COMPOUND', `${community.code}${String(k).padStart(3, '0')}`, name),
          propertyCompanyId: random.pick(propertyCompanies).id,
          weight: 0.5 + random.next(),
        });
      }
    }
  });

  const employerNames = uniqueNames(
    18 * streets.length,
    () => `宁波${random.pick(EMPLOYER_WORDS)}${random.pick(NAME_HEADS)}${random.pick(EMPLOYER_TRADES)}`,
  );
  for (const name of employerNames) institution('EMPLOYER', name, random.pick(streets).id);

  return { seed, district, streets, communities, compounds, institutions };

  function child(parent: PlanUnit, kind: PlanUnitKind, code: string, name: string): PlanUnit {
    const id = random.uuid();
    return { id, kind, code, name, parentId: parent.id, path: [...parent.path, id] };
  }
}

export function planUnits(plan: DistrictPlan): PlanUnit[] {
  return [plan.district, ...plan.streets, ...plan.communities, ...plan.compounds];
}

function uniqueNames(count: number, make: () => string): string[] {
  const names = new Set<string>();
  for (let attempts = 0; names.size < count && attempts < count * 50; attempts++) names.add(make());
  return [...names];
}

/** An 18-character unified social credit code (统一社会信用代码) shaped like Yinzhou's: 91 + 330212 + 10 characters. */
function creditCode(random: SeededRandom, taken: Set<string>): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let code: string;
  do code = `91330212${Array.from({ length: 10 }, () => random.pick([...alphabet])).join('')}`;
  while (taken.has(code));
  taken.add(code);
  return code;
}
