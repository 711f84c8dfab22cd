import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { appConfig, AppConfig } from '../../config/app.config';
import { AuthFailuresRepository } from './auth-failures.repository';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { BootstrapAdminService } from './bootstrap-admin.service';
import { ClinicsController } from './clinics.controller';
import { ClinicsRepository } from './clinics.repository';
import { ClinicsService } from './clinics.service';
import { CredentialsService } from './credentials.service';
import { PasswordHasher } from './password-hasher';
import { SignatureService } from './signature.service';
import { SourceThrottle } from './source-throttle';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/**
 * Users, clinics, login, tokens, lock-out and re-authentication. Global: every module needs the guard's
 * collaborators, SignatureService (release, thaw witness) and the clinic lookup for scoping.
 */
@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [appConfig.KEY],
      useFactory: (env: AppConfig) => {
        const jwtKey = createSecretKey(Buffer.from(env.jwtSecret, 'utf8'));
        return {
          // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to parse it as a PEM
          // public key on every verification, which cost a quarter of the API's CPU in the benchmark.
          secret: jwtKey,
          signOptions: { expiresIn: env.jwtTtlSeconds, algorithm: 'HS256' },
          verifyOptions: { algorithms: ['HS256'] },
        };
      },
    }),
  ],
  controllers: [AuthController, UsersController, ClinicsController],
  providers: [
    UsersRepository,
    ClinicsRepository,
    AuthFailuresRepository,
    PasswordHasher,
    CredentialsService,
    SourceThrottle,
    AuthService,
    UsersService,
    ClinicsService,
    SignatureService,
    BootstrapAdminService,
  ],
  exports: [
    JwtModule,
    UsersRepository,
    ClinicsRepository,
    SignatureService,
    AuthService,
    UsersService,
    ClinicsService,
  ],
})
export class AuthModule {}
