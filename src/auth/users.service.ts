import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { Page, PageQuery, toPage } from '../common/pagination/pagination';
import { Role } from '../common/transaction/actor';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { validationFailed } from '../common/validation/validation';
import { ClinicsRepository } from './clinics.repository';
import { doctorClinicProblem } from './domain/doctor-clinic';
import { CreateUserDto } from './dto/create-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserViewDto, userView } from './dto/user-view.dto';
import { createdAtCursor } from '../common/pagination/created-at-cursor';
import { PasswordHasher } from './password-hasher';
import { UserChanges, UserRow, UsersRepository } from './users.repository';

/** The details of a user that go into the audit trail: everything but the password hash. */
function auditedUser(row: UserRow): Omit<UserRow, 'passwordHash'> {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    clinicId: row.clinicId,
    active: row.active,
    lockedUntil: row.lockedUntil,
    tokensValidAfter: row.tokensValidAfter,
    createdAt: row.createdAt,
  };
}

function assertDoctorClinic(role: Role, clinicId: string | null): void {
  const problem = doctorClinicProblem(role, clinicId);
  if (problem) throw validationFailed([{ field: 'clinicId', errors: [problem] }]);
}

/** A user as the notifications see them: where to write, and what they may see. */
export interface UserContact {
  id: string;
  email: string;
  name: string;
  role: Role;
  clinicId: string | null;
  active: boolean;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly clinics: ClinicsRepository,
    private readonly hasher: PasswordHasher,
    private readonly transactions: Transactions,
  ) {}

  /** Who the users are now (role, clinic, active), for deciding what they may be told (e-mail about flags). */
  async contactsOf(ids: readonly string[], manager?: EntityManager): Promise<UserContact[]> {
    const rows = await this.users.findByIds(ids, manager);
    return rows.map((row) => ({
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      clinicId: row.clinicId,
      active: row.active,
    }));
  }

  async view(id: string): Promise<UserViewDto> {
    const user = await this.users.findById(id);
    if (!user) throw notFound('User', id);
    return userView(user);
  }

  async list(query: PageQuery): Promise<Page<UserViewDto>> {
    const rows = await this.users.list(query.limit + 1, createdAtCursor(query.cursor));
    return toPage(rows, query.limit, (row) => [row.cursorAt, row.id], userView);
  }

  async create(actor: AuthUser, dto: CreateUserDto): Promise<UserViewDto> {
    const clinicId = dto.clinicId ?? null;
    assertDoctorClinic(dto.role, clinicId);
    const passwordHash = await this.hasher.hash(dto.password);
    // The unique index on lower(email) answers a duplicate (409 DUPLICATE), also when two requests race.
    const created = await this.transactions.run(actorOf(actor), async (tx) => {
      if (clinicId !== null) await this.assertClinicExists(clinicId, tx);
      const row = await this.users.insert(
        { email: dto.email, name: dto.name, role: dto.role, clinicId, passwordHash, createdAt: tx.now },
        tx.manager,
      );
      tx.audit({ action: 'user.created', entityType: 'user', entityId: row.id, after: auditedUser(row) });
      return row;
    });
    return userView(created);
  }

  /**
   * Changes name, role, clinic or active. The doctor/clinic rule must hold for the result, and the system
   * never loses its last active administrator (nobody could then manage users): that is 409.
   */
  async update(actor: AuthUser, id: string, dto: UpdateUserDto): Promise<UserViewDto> {
    const updated = await this.transactions.run(actorOf(actor), async (tx) => {
      // Lock order: the admin set first (when this may shrink it), then the user, the same in every
      // transaction, so two admins demoting each other queue instead of deadlocking.
      const mayRemoveAdmin = (dto.role !== undefined && dto.role !== 'admin') || dto.active === false;
      const activeAdmins = mayRemoveAdmin ? await this.users.lockActiveAdmins(tx.manager) : null;
      const before = await this.users.findByIdForUpdate(id, tx.manager);
      if (!before) throw notFound('User', id);
      const after: UserChanges = {
        name: dto.name ?? before.name,
        role: dto.role ?? before.role,
        clinicId: dto.clinicId === undefined ? before.clinicId : dto.clinicId,
        active: dto.active ?? before.active,
      };
      assertDoctorClinic(after.role, after.clinicId);
      if (after.clinicId !== null && after.clinicId !== before.clinicId)
        await this.assertClinicExists(after.clinicId, tx);
      if (activeAdmins) assertKeepsAnAdmin(actor, before, after, activeAdmins);
      if (isUnchanged(before, after)) return before;
      const row = await this.users.update(id, after, tx.now, tx.manager);
      tx.audit({
        action: 'user.updated',
        entityType: 'user',
        entityId: id,
        before: auditedUser(before),
        after: auditedUser(row),
      });
      return row;
    });
    return userView(updated);
  }

  /**
   * Creates the first administrator inside the bootstrap's transaction (which holds the bootstrap lock);
   * the password arrives hashed so the lock is not held while hashing.
   */
  async insertFirstAdmin(email: string, passwordHash: string, tx: TransactionContext): Promise<UserRow> {
    const row = await this.users.insert(
      { email, name: 'Administrator', role: 'admin', clinicId: null, passwordHash, createdAt: tx.now },
      tx.manager,
    );
    tx.audit({
      action: 'user.created',
      entityType: 'user',
      entityId: row.id,
      after: auditedUser(row),
      reason: 'first administrator from BOOTSTRAP_ADMIN_EMAIL',
    });
    return row;
  }

  private async assertClinicExists(clinicId: string, tx: TransactionContext): Promise<void> {
    if (!(await this.clinics.findById(clinicId, tx.manager))) throw notFound('Clinic', clinicId);
  }
}

function isUnchanged(before: UserRow, after: UserChanges): boolean {
  return (
    before.name === after.name &&
    before.role === after.role &&
    before.clinicId === after.clinicId &&
    before.active === after.active
  );
}

function assertKeepsAnAdmin(
  actor: AuthUser,
  before: UserRow,
  after: UserChanges,
  activeAdmins: string[],
): void {
  const wasActiveAdmin = before.role === 'admin' && before.active;
  const staysActiveAdmin = after.role === 'admin' && after.active;
  if (!wasActiveAdmin || staysActiveAdmin) return;
  if (activeAdmins.filter((adminId) => adminId !== before.id).length === 0) {
    const who = actor.id === before.id ? 'yourself' : 'this user';
    throw new DomainError(
      ErrorCode.INVALID_TRANSITION,
      `You cannot deactivate or demote ${who}: this is the last active administrator`,
      { id: before.id },
    );
  }
}
