import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import type { CreateUserRequest, LoginResponse, Role, UserView } from '@borda/api-contract';
import { APP_CONFIG, type AppConfig } from '../config/env';
import type { User } from '../database';
import { AppError } from '../errors/app-error';
import { ApiTokensRepository } from './api-tokens.repository';
import { API_TOKEN_PREFIX, hashApiToken, hashPassword, newApiToken, verifyPassword } from './credentials';
import type { AuthUser } from './decorators';
import { LoginThrottle } from './login-throttle';
import { PrincipalCache } from './principal-cache';
import { UsersRepository } from './users.repository';

interface JwtClaims {
  sub: string;
  role: Role;
  exp?: number;
}

export function userView(user: User): UserView {
  return { id: user.id, email: user.email, name: user.name, role: user.role, createdAt: user.createdAt.toISOString() };
}

@Injectable()
export class AuthService {
  /** A hash to verify against when the email is unknown, so timing does not reveal which emails exist. */
  private dummyHash?: Promise<string>;
  /** The HMAC key as a KeyObject: given a string, jsonwebtoken re-derives the key on every verify. */
  private readonly jwtKey: KeyObject;
  private readonly principals = new PrincipalCache();
  private readonly throttle = new LoginThrottle();

  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: ApiTokensRepository,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.jwtKey = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  async login(email: string, password: string, client = 'unknown'): Promise<LoginResponse> {
    const key = `${email.toLowerCase()} ${client}`;
    const wait = this.throttle.retryAfterMs(key);
    if (wait > 0) {
      throw new AppError(
        'RATE_LIMITED',
        `too many failed logins for ${email}; try again in ${Math.ceil(wait / 1000)} s`,
        {
          retryAfterSeconds: Math.ceil(wait / 1000),
        },
      );
    }
    const user = await this.users.findByEmail(email);
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    const ok = await verifyPassword(user?.passwordHash ?? (await this.dummyHash), password);
    if (!user || !user.passwordHash || user.disabledAt || !ok) {
      this.throttle.recordFailure(key);
      throw new AppError('INVALID_CREDENTIALS', 'email or password is wrong');
    }
    this.throttle.recordSuccess(key);
    const claims: JwtClaims = { sub: user.id, role: user.role };
    const accessToken = await this.jwt.signAsync(claims, {
      secret: this.jwtKey as unknown as string,
      expiresIn: this.config.jwtTtlSeconds,
    });
    return { accessToken, expiresIn: this.config.jwtTtlSeconds, user: userView(user) };
  }

  /** Resolves a bearer credential (JWT or API token) to the caller, or throws UNAUTHENTICATED. */
  async authenticate(bearer: string): Promise<AuthUser> {
    const cached = this.principals.get(bearer);
    if (cached) return cached;
    if (bearer.startsWith(API_TOKEN_PREFIX)) {
      const token = await this.tokens.findActive(hashApiToken(bearer));
      if (!token) throw new AppError('UNAUTHENTICATED', 'the API token is unknown, revoked or expired');
      await this.tokens.touch(token);
      const { user } = token;
      const principal: AuthUser = { id: user.id, email: user.email, name: user.name, role: user.role, via: 'token' };
      this.principals.set(bearer, principal, token.expiresAt?.getTime() ?? Infinity);
      return principal;
    }
    let claims: JwtClaims;
    try {
      claims = await this.jwt.verifyAsync<JwtClaims>(bearer, { secret: this.jwtKey as unknown as string });
    } catch {
      throw new AppError('UNAUTHENTICATED', 'the session token is invalid or expired; sign in again');
    }
    const user = await this.users.findById(claims.sub);
    if (!user || user.disabledAt) throw new AppError('UNAUTHENTICATED', 'the account no longer exists or is disabled');
    const principal: AuthUser = { id: user.id, email: user.email, name: user.name, role: user.role, via: 'jwt' };
    this.principals.set(bearer, principal, claims.exp ? claims.exp * 1000 : Infinity);
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
    this.principals.forgetUser(userId);
  }

  async listUsers(role?: Role): Promise<UserView[]> {
    return (await this.users.list(role)).map(userView);
  }
}
