/**
 * Scope of duty data. A party organisation lies in a caller's territory when it, or one of its ancestors, is tied to
 * an org unit inside that territory: a COMMUNITY_SECRETARY (token org unit = their community) sees their community
 * committee and its branches; a STREET_ADMIN their street committee and everything under it (community committees,
 * branches, work-unit branches of the street). Department committees hang off the district committee, so only
 * district-wide callers see them.
 *
 * SQL: true when the party org `alias` lies in the territory rooted at the uuid `scopeParam` (a placeholder), or when
 * that parameter is NULL (a district-wide caller).
 */
export function visibleOrgCondition(alias: string, scopeParam: string): string {
  return `(${scopeParam}::uuid IS NULL OR EXISTS (
    SELECT 1 FROM party_org scope_org JOIN org_unit scope_unit ON scope_unit.id = scope_org.org_unit_id
     WHERE scope_org.id = ANY(${alias}.path) AND scope_unit.path @> ARRAY[${scopeParam}::uuid]))`;
}
