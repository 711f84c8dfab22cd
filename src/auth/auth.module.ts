import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { appConfig, AppConfig } from '../../config/app.config';
import { UsersRepository } from './users.repository';

@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [appConfig.KEY],
      useFactory: (env: AppConfig) => ({
        secret: env.jwtSecret,
        signOptions: { expiresIn: env.jwtTtlSeconds, algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  providers: [UsersRepository],
  exports: [JwtModule, UsersRepository],
})
export class AuthModule {}
