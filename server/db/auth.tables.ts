import type { Generated, Selectable } from 'kysely';

// Tables added by migrations/0005_auth.ts and 0008_login_attempts.ts. Merged into Database in database.ts.

export type Role = 'admin' | 'viewer';

export interface UsersTable {
  id: Generated<number>;
  username: string;
  role: Role;
  /** `scrypt$N$r$p$salt$hash`, salt and hash base64url; see server/auth/password.ts. */
  password_hash: string;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  /** Hex SHA-256 of the session id in the cookie; the id itself is never stored. */
  id_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
}

/** Login attempts per username (known or not); see server/auth/login-limit.ts. */
export interface LoginAttemptsTable {
  username: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
  updated_at: string;
}

export interface AuthTables {
  users: UsersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
}

export type User = Selectable<UsersTable>;
