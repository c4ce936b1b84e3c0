import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { canSeeHousehold, type Caller } from '#libs/auth';
import { shanghaiDate } from '#libs/calendar';
import { PostgresErrorCode, execute, isPostgresError, queryFirst, queryOne, queryRows, violatedConstraint } from '#libs/database';
import { DomainError } from '#libs/errors';
import { Idempotency } from '#libs/idempotency';
import { PersonalDataAudit } from '#libs/privacy';
import { Territory } from '#libs/territory';
import { CitingRecord, UploadService } from '../uploads/upload.service.js';
import { BirthDatePrecision, isMinorOn } from '#libs/privacy';
import { Occupation } from './registry-enums.js';
import {
  CommitmentLetter,
  Resident,
  type GuardianConsentInput,
  type RecordCommitmentLetterInput,
  type RegisterHouseholdInput,
  type ResidentInput,
  type UpdateHouseholdInput,
} from './registry.models.js';
import type { CommitmentLetterRow, ResidentRow } from './resident.entity.js';
import { requireResidentInstitution } from './resident-institution.js';

const RESIDENT_COLUMNS = `r.id, r.household_id AS "householdId", r.name, r.phone, r.occupation, r.institution_id AS "institutionId",
  r.party_member_id AS "partyMemberId", r.birth_date::text AS "birthDate", r.birth_date_precision AS "birthDatePrecision",
  r.guardian_name AS "guardianName", r.guardian_relation AS "guardianRelation", r.guardian_phone AS "guardianPhone",
  r.guardian_consent_recorded_at AS "guardianConsentRecordedAt", r.guardian_consent_recorded_by AS "guardianConsentRecordedBy",
  r.disclosure_basis AS "disclosureBasis",
  r.created_at AS "createdAt", r.updated_at AS "updatedAt"`;
const LETTER_COLUMNS = `id, household_id AS "householdId", signer_resident_id AS "signerResidentId", signed_on AS "signedOn",
  photo_id AS "photoId", recorded_by AS "recordedBy", created_at AS "createdAt"`;
const PHONE = /^1[3-9]\d{9}$/;

/** Who lives where: households, their residents and commitment letters, written by community staff. */
@Injectable()
export class RegistryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
    private readonly audit: PersonalDataAudit,
    private readonly idempotency: Idempotency,
    private readonly uploads: UploadService,
  ) {}

  /** Residents of many households in one query, masked or audited as the caller's role requires. */
  async residentsOf(caller: Caller, householdIds: readonly string[]): Promise<Resident[][]> {
    const rows = await queryRows<ResidentRow>(
      this.dataSource,
      `SELECT ${RESIDENT_COLUMNS} FROM resident r WHERE r.household_id = ANY($1::uuid[]) ORDER BY r.birth_date, r.id`,
      [householdIds],
    );
    const unmasked = this.audit.mayRead(caller);
    if (unmasked)
      await this.audit.recordRead(
        caller,
        'Resident',
        rows.map((row) => row.id),
      );
    // A resident reads their own household's members in clear (their own record: no audit needed).
    return householdIds.map((id) =>
      rows.filter((row) => row.householdId === id).map((row) => Resident.from(row, unmasked, caller.householdId === row.householdId)),
    );
  }

  async lettersOf(householdIds: readonly string[]): Promise<CommitmentLetter[][]> {
    const rows = await queryRows<CommitmentLetterRow>(
      this.dataSource,
      `SELECT ${LETTER_COLUMNS} FROM commitment_letter WHERE household_id = ANY($1::uuid[]) ORDER BY signed_on DESC`,
      [householdIds],
    );
    return householdIds.map((id) => rows.filter((row) => row.householdId === id).map((row) => CommitmentLetter.from(row)));
  }

  /**
   * Registers a household. Like every write of the household table, the insert announces the household
   * (`households.changed`, migration 1796000000310's trigger) in its own statement, hence in this transaction.
   */
  async registerHousehold(caller: Caller, input: RegisterHouseholdInput): Promise<string> {
    await this.requireCompound(caller, input.compoundId);
    requireAddress(input);
    try {
      const row = await queryOne<{ id: string }>(
        this.dataSource,
        `INSERT INTO household (compound_id, building, unit, room, tenure, floating_population, property_company_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [input.compoundId, input.building, input.unit, input.room, input.tenure, input.floatingPopulation, input.propertyCompanyId ?? null],
      );
      return row.id;
    } catch (error) {
      throw duplicateAddress(error);
    }
  }

  /**
   * Changes a household; with `compoundId` (and the flat's building, unit and room) it moves to another compound, which
   * must be in the caller's territory too. A change of compound or floating population is announced by the update itself.
   */
  async updateHousehold(caller: Caller, id: string, input: UpdateHouseholdInput): Promise<void> {
    if (input.compoundId) await this.requireCompound(caller, input.compoundId);
    await this.dataSource.transaction(async (manager) => {
      const current = await this.householdInScope(manager, caller, id);
      const address = {
        building: input.building ?? current.building,
        unit: input.unit ?? current.unit,
        room: input.room ?? current.room,
      };
      requireAddress(address);
      try {
        await execute(
          manager,
          `UPDATE household SET tenure = coalesce($2, tenure), floating_population = coalesce($3, floating_population),
                  property_company_id = coalesce($4, property_company_id), compound_id = coalesce($5, compound_id),
                  building = $6, unit = $7, room = $8, updated_at = now() WHERE id = $1`,
          [
            id,
            input.tenure ?? null,
            input.floatingPopulation ?? null,
            input.propertyCompanyId ?? null,
            input.compoundId ?? null,
            address.building,
            address.unit,
            address.room,
          ],
        );
      } catch (error) {
        throw duplicateAddress(error);
      }
    });
  }

  /**
   * Removes a household from the registry (registered by mistake, a flat that never had anyone sorting): its residents
   * and commitment letters go with it; its published grades stay, as history. The delete announces the removal.
   * A household with evidence (inspections, party members' check-ins) is refused (CONFLICT / HAS_EVIDENCE): the
   * evidence explains published grades and may be a case's, and the foreign keys would delete it with the household.
   */
  async removeHousehold(caller: Caller, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.householdInScope(manager, caller, id);
      const evidence = await queryOne<{ inspections: number; checkIns: number }>(
        manager,
        `SELECT (SELECT count(*)::int FROM inspection WHERE household_id = $1) AS inspections,
                (SELECT count(*)::int FROM photo_check_in WHERE household_id = $1) AS "checkIns"`,
        [id],
      );
      if (evidence.inspections > 0 || evidence.checkIns > 0) {
        throw DomainError.conflict('This household has evidence behind its grades and cases, and stays in the registry', 'HAS_EVIDENCE', {
          ...evidence,
        });
      }
      await execute(manager, `DELETE FROM household WHERE id = $1`, [id]);
    });
  }

  async addResident(caller: Caller, householdId: string, input: ResidentInput): Promise<string> {
    const resident = validResident(input);
    return this.dataSource.transaction(async (manager) => {
      await this.householdInScope(manager, caller, householdId);
      await requireResidentInstitution(manager, resident.occupation, resident.institutionId);
      const row = await this.writeResident(() =>
        queryOne<{ id: string }>(
          manager,
          `INSERT INTO resident (household_id, name, phone, occupation, institution_id, party_member_id, birth_date, birth_date_precision, disclosure_basis)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
          [
            householdId,
            resident.name,
            resident.phone,
            resident.occupation,
            resident.institutionId,
            resident.partyMemberId,
            resident.birthDate,
            resident.birthDatePrecision,
            resident.disclosureBasis,
          ],
        ),
      );
      return row.id;
    });
  }

  async updateResident(caller: Caller, id: string, input: ResidentInput): Promise<string> {
    const resident = validResident(input);
    return this.dataSource.transaction(async (manager) => {
      const householdId = await this.residentHousehold(manager, id);
      await this.householdInScope(manager, caller, householdId);
      await requireResidentInstitution(manager, resident.occupation, resident.institutionId);
      await this.writeResident(() =>
        execute(
          manager,
          `UPDATE resident SET name = $2, phone = $3, occupation = $4, institution_id = $5, party_member_id = $6, birth_date = $7,
                  birth_date_precision = $8, disclosure_basis = $9, updated_at = now() WHERE id = $1`,
          [
            id,
            resident.name,
            resident.phone,
            resident.occupation,
            resident.institutionId,
            resident.partyMemberId,
            resident.birthDate,
            resident.birthDatePrecision,
            resident.disclosureBasis,
          ],
        ),
      );
      return householdId;
    });
  }

  async removeResident(caller: Caller, id: string): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      const householdId = await this.residentHousehold(manager, id);
      await this.householdInScope(manager, caller, householdId);
      await execute(manager, `DELETE FROM resident WHERE id = $1`, [id]);
      return householdId;
    });
  }

  /**
   * Records a guardian's consent for a resident under 18 today (replacing one on record); returns the household id.
   * An adult needs no guardian: BAD_USER_INPUT, nothing written.
   */
  async recordGuardianConsent(caller: Caller, residentId: string, input: GuardianConsentInput): Promise<string> {
    const consent = validGuardianConsent(input);
    return this.dataSource.transaction(async (manager) => {
      const householdId = await this.residentHousehold(manager, residentId);
      await this.householdInScope(manager, caller, householdId);
      const resident = await queryFirst<{ birthDate: string; precision: BirthDatePrecision }>(
        manager,
        `SELECT birth_date::text AS "birthDate", birth_date_precision AS precision FROM resident WHERE id = $1 FOR UPDATE`,
        [residentId],
      );
      // Removed since residentHousehold found it (that read takes no lock).
      if (!resident) throw DomainError.notFound('Resident', residentId);
      if (!isMinorOn(resident.birthDate, resident.precision, shanghaiDate())) {
        throw DomainError.badInput("A guardian's consent is recorded only for a resident under 18", 'NOT_A_MINOR');
      }
      await execute(
        manager,
        `UPDATE resident SET guardian_name = $2, guardian_relation = $3, guardian_phone = $4, guardian_consent_recorded_at = now(),
                guardian_consent_recorded_by = $5, updated_at = now() WHERE id = $1`,
        [residentId, consent.guardianName, consent.guardianRelation, consent.guardianPhone, caller.userId],
      );
      return householdId;
    });
  }

  /** Withdraws a guardian's consent (no-op when none is on record); notices made from now on leave the minor out. */
  async withdrawGuardianConsent(caller: Caller, residentId: string): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      const householdId = await this.residentHousehold(manager, residentId);
      await this.householdInScope(manager, caller, householdId);
      await execute(
        manager,
        `UPDATE resident SET guardian_name = NULL, guardian_relation = NULL, guardian_phone = NULL, guardian_consent_recorded_at = NULL,
                guardian_consent_recorded_by = NULL, updated_at = now() WHERE id = $1`,
        [residentId],
      );
      return householdId;
    });
  }

  /** Phones retry: the same key records the letter once. */
  async recordCommitmentLetter(caller: Caller, input: RecordCommitmentLetterInput, idempotencyKey: string): Promise<string> {
    if (input.signedOn > shanghaiDate()) throw DomainError.badInput('signedOn is in the future', 'FUTURE_DATE');
    const { id } = await this.idempotency.run(caller, idempotencyKey, 'recordCommitmentLetter', input, async (manager) => {
      await this.householdInScope(manager, caller, input.householdId);
      if ((await this.residentHousehold(manager, input.signerResidentId)) !== input.householdId) {
        throw DomainError.badInput('The signer does not live in that household', 'SIGNER_NOT_IN_HOUSEHOLD');
      }
      // The photo is cited first (the letter's id made here): an unknown, someone else's or a reused photo is refused
      // by its reason before the letter's foreign key could fail, and the transaction then writes nothing.
      const id = randomUUID();
      if (input.photoId) {
        await this.uploads.cite(manager, caller, [input.photoId], {
          kind: CitingRecord.COMMITMENT_LETTER,
          recordId: id,
          householdId: input.householdId,
        });
      }
      try {
        await execute(
          manager,
          `INSERT INTO commitment_letter (id, household_id, signer_resident_id, signed_on, photo_id, recorded_by)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [id, input.householdId, input.signerResidentId, input.signedOn, input.photoId ?? null, caller.userId],
        );
        return { id };
      } catch (error) {
        if (isPostgresError(error, PostgresErrorCode.UniqueViolation)) {
          throw DomainError.conflict('That household already has a letter signed on that day', 'DUPLICATE_LETTER');
        }
        throw error;
      }
    });
    return id;
  }

  /** Locks the household row and checks the caller may write it; returns its flat. */
  private async householdInScope(
    manager: EntityManager,
    caller: Caller,
    id: string,
  ): Promise<{ building: number; unit: number; room: number }> {
    const row = await queryFirst<{ id: string; building: number; unit: number; room: number; path: string[] }>(
      manager,
      `SELECT h.id, h.building, h.unit, h.room, t.path::text[] AS path
         FROM household h JOIN territory_unit t ON t.id = h.compound_id WHERE h.id = $1 FOR UPDATE OF h`,
      [id],
    );
    if (!row) throw DomainError.notFound('Household', id);
    if (!canSeeHousehold(caller, id, row.path)) throw DomainError.forbidden('That household is outside your territory', 'OUT_OF_SCOPE');
    return row;
  }

  /** A COMPOUND inside the caller's territory, where households live. */
  private async requireCompound(caller: Caller, id: string): Promise<void> {
    const compound = await this.territory.requireInScope(caller, id);
    if (compound.kind !== 'COMPOUND') throw DomainError.badInput('Households are registered in a COMPOUND', 'NOT_A_COMPOUND');
  }

  private async residentHousehold(manager: EntityManager, id: string): Promise<string> {
    const row = await queryFirst<{ householdId: string }>(manager, `SELECT household_id AS "householdId" FROM resident WHERE id = $1`, [
      id,
    ]);
    if (!row) throw DomainError.notFound('Resident', id);
    return row.householdId;
  }

  private async writeResident<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isPostgresError(error, PostgresErrorCode.UniqueViolation) && violatedConstraint(error) === 'resident_party_member_id_key') {
        throw DomainError.conflict('That party member is already registered as a resident', 'DUPLICATE_PARTY_MEMBER');
      }
      throw error;
    }
  }
}

function requireAddress(address: { building: number; unit: number; room: number }): void {
  for (const [field, value] of [
    ['building', address.building],
    ['unit', address.unit],
    ['room', address.room],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > 99_999)
      throw DomainError.badInput(`${field} must be a positive number`, 'INVALID_ADDRESS', { field });
  }
}

/** The address's unique key decides, also between two registrations of one flat at once. */
function duplicateAddress(error: unknown): unknown {
  if (isPostgresError(error, PostgresErrorCode.UniqueViolation) && violatedConstraint(error) === 'household_address') {
    return DomainError.conflict('A household is already registered at that address', 'DUPLICATE_ADDRESS');
  }
  return error;
}

function validResident(input: ResidentInput) {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 40) throw DomainError.badInput('name must be 1–40 characters', 'INVALID_NAME');
  const phone = input.phone?.replace(/[\s-]/g, '') || null;
  if (phone !== null && !PHONE.test(phone)) throw DomainError.badInput('phone must be an 11-digit mobile number', 'INVALID_PHONE');
  const birthDatePrecision = input.birthDatePrecision ?? BirthDatePrecision.DAY;
  const birthDate = startOfPrecision(input.birthDate, birthDatePrecision);
  if (birthDate > shanghaiDate()) throw DomainError.badInput('birthDate is in the future', 'FUTURE_BIRTH_DATE');
  if (birthDate < '1900-01-01') throw DomainError.badInput('birthDate must be in 1900 or later', 'INVALID_BIRTH_DATE');
  const takesInstitution = input.occupation === Occupation.EMPLOYED || input.occupation === Occupation.STUDENT;
  if (input.institutionId && !takesInstitution) {
    throw DomainError.badInput('Only employed residents and students have an employer or school', 'INSTITUTION_NOT_FOR_OCCUPATION');
  }
  return {
    name,
    phone,
    occupation: input.occupation,
    institutionId: input.institutionId ?? null,
    partyMemberId: input.partyMemberId ?? null,
    birthDate,
    birthDatePrecision,
    disclosureBasis: input.disclosureBasis,
  };
}

/** A date known to the month or year is stored as the first day of it, whatever day was given. */
function startOfPrecision(date: string, precision: BirthDatePrecision): string {
  if (precision === BirthDatePrecision.YEAR) return `${date.slice(0, 4)}-01-01`;
  if (precision === BirthDatePrecision.MONTH) return `${date.slice(0, 7)}-01`;
  return date;
}

function validGuardianConsent(input: GuardianConsentInput) {
  const guardianName = input.guardianName.trim();
  if (guardianName.length < 1 || guardianName.length > 40)
    throw DomainError.badInput('guardianName must be 1–40 characters', 'INVALID_NAME');
  const guardianRelation = input.guardianRelation.trim();
  if (guardianRelation.length < 1 || guardianRelation.length > 20) {
    throw DomainError.badInput('guardianRelation must be 1–20 characters', 'INVALID_RELATION');
  }
  const guardianPhone = input.guardianPhone?.replace(/[\s-]/g, '') || null;
  if (guardianPhone !== null && !PHONE.test(guardianPhone))
    throw DomainError.badInput('guardianPhone must be an 11-digit mobile number', 'INVALID_PHONE');
  return { guardianName, guardianRelation, guardianPhone };
}
