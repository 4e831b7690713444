import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import type { CreateUserRequest, LoginResponse, Role, UserView } from '@borda/api-contract';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { isUuid, type User } from '../database';
import { AppError } from '../errors/app-error';
import { ApiTokensRepository } from './api-tokens.repository';
import { API_TOKEN_PREFIX, hashApiToken, hashPassword, newApiToken, verifyPassword } from './credentials';
import type { AuthUser } from './decorators';
import { LoginThrottle } from './login-throttle';
import { Revocations } from './revocations';
import { SessionsRepository } from './sessions.repository';
import { UsersRepository } from './users.repository';

/** The one algorithm sessions are signed and verified with: a token naming another is refused. */
const JWT_ALGORITHM = 'HS256';

interface JwtClaims {
  sub: string;
  role: Role;
  /** The session row; revoking it ends the token. */
  jti?: string;
  exp?: number;
}

export function userView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    createdAt: user.createdAt.toISOString(),
    disabledAt: user.disabledAt?.toISOString() ?? null,
  };
}

@Injectable()
export class AuthService {
  /** A hash to verify against when the email is unknown, so timing does not reveal which emails exist. */
  private dummyHash?: Promise<string>;
  /** The HMAC key as a KeyObject: given a string, jsonwebtoken re-derives the key on every verify. */
  private readonly jwtKey: KeyObject;

  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: ApiTokensRepository,
    private readonly sessions: SessionsRepository,
    private readonly throttle: LoginThrottle,
    private readonly principals: Revocations,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.jwtKey = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  async login(email: string, password: string, client = 'unknown'): Promise<LoginResponse> {
    await this.throttle.attempt(email, client);
    const user = await this.users.findByEmail(email);
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    const ok = await verifyPassword(user?.passwordHash ?? (await this.dummyHash), password);
    if (!user || !user.passwordHash || user.disabledAt || !ok) {
      throw new AppError('INVALID_CREDENTIALS', 'email or password is wrong');
    }
    await this.throttle.succeeded(email, client);
    const exp = Math.floor(Date.now() / 1000) + this.config.jwtTtlSeconds;
    const session = await this.sessions.create({ userId: user.id, expiresAt: new Date(exp * 1000), client });
    const claims: JwtClaims = { sub: user.id, role: user.role, jti: session.id, exp };
    const accessToken = await this.jwt.signAsync(claims, {
      secret: this.jwtKey as unknown as string,
      algorithm: JWT_ALGORITHM,
    });
    return { accessToken, expiresIn: this.config.jwtTtlSeconds, user: userView(user) };
  }

  /** Resolves a bearer credential (JWT or API token) to the caller, or throws UNAUTHENTICATED. */
  async authenticate(bearer: string): Promise<AuthUser> {
    const cached = this.principals.get(bearer);
    if (cached) return cached;
    const epoch = this.principals.currentEpoch();
    if (bearer.startsWith(API_TOKEN_PREFIX)) {
      const token = await this.tokens.findActive(hashApiToken(bearer));
      if (!token) throw new AppError('UNAUTHENTICATED', 'the API token is unknown, revoked or expired');
      await this.tokens.touch(token);
      const { user } = token;
      const principal: AuthUser = { id: user.id, email: user.email, name: user.name, role: user.role, via: 'token' };
      this.principals.set(bearer, principal, epoch, token.expiresAt?.getTime() ?? Infinity);
      return principal;
    }
    let claims: JwtClaims;
    try {
      claims = await this.jwt.verifyAsync<JwtClaims>(bearer, {
        secret: this.jwtKey as unknown as string,
        algorithms: [JWT_ALGORITHM],
      });
    } catch {
      throw new AppError('UNAUTHENTICATED', 'the session token is invalid or expired; sign in again');
    }
    // jsonwebtoken accepts a token without exp as never expiring, and ours always name their session.
    const { exp, jti, sub } = claims;
    if (typeof exp !== 'number' || typeof jti !== 'string' || !isUuid(jti) || typeof sub !== 'string' || !isUuid(sub)) {
      throw new AppError('UNAUTHENTICATED', 'the session token has no expiry or no session; sign in again');
    }
    const user = await this.sessions.findUserOfActiveSession(jti, sub);
    if (!user) throw new AppError('UNAUTHENTICATED', 'the session was signed out, revoked or the account disabled');
    const principal: AuthUser = {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      via: 'jwt',
      sessionId: jti,
    };
    // The session row expires with the token (login writes both from one `exp`).
    this.principals.set(bearer, principal, epoch, exp * 1000);
    return principal;
  }

  async createUser(request: CreateUserRequest): Promise<UserView> {
    if (await this.users.findByEmail(request.email)) {
      throw new AppError('CONFLICT', `a user with email ${request.email} already exists`, { field: 'email' });
    }
    const user = await this.users.create({
      email: request.email,
      name: request.name,
      role: request.role,
      passwordHash: await hashPassword(request.password),
    });
    return userView(user);
  }

  async createToken(userId: string, name: string, expiresInDays?: number) {
    const { token, tokenHash, prefix } = newApiToken();
    const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null;
    const row = await this.tokens.create({ userId, name, tokenHash, prefix, expiresAt });
    return { id: row.id, name: row.name, prefix, token, expiresAt: row.expiresAt?.toISOString() ?? null };
  }

  async listTokens(userId: string) {
    return (await this.tokens.listForUser(userId)).map((t) => ({
      id: t.id,
      name: t.name,
      prefix: t.prefix,
      createdAt: t.createdAt.toISOString(),
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      expiresAt: t.expiresAt?.toISOString() ?? null,
      revokedAt: t.revokedAt?.toISOString() ?? null,
    }));
  }

  async revokeToken(userId: string, id: string): Promise<void> {
    if (!(await this.tokens.revoke(userId, id))) throw AppError.notFound('token', id);
    await this.principals.revokedFor(userId);
  }

  async listUsers(role?: Role): Promise<UserView[]> {
    return (await this.users.list(role)).map(userView);
  }
}
