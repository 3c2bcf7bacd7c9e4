import type { Generated, Selectable } from 'kysely';

// Tables added by migrations/0005_auth.ts. Merged into Database in database.ts.

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

export interface AuthTables {
  users: UsersTable;
  sessions: SessionsTable;
}

export type User = Selectable<UsersTable>;
