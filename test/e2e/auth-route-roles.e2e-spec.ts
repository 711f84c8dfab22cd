import { Controller, Get, Post, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { JwtService } from '@nestjs/jwt';
import { AuthGuard } from '../../src/auth/auth.guard';
import { Public, PUBLIC_KEY, Roles, ROLES_KEY } from '../../src/auth/roles.decorator';
import { UsersRepository } from '../../src/auth/users.repository';
import { ROLES } from '../../src/common/transaction/actor';
import { loginAsAdmin, startTestApp, TestApp } from '../support/test-app';

interface Route {
  route: string;
  roles: unknown;
  isPublic: boolean;
}

/** Every route handler of the given controllers, with the access rule it declares (method first, then class). */
function routesOf(controllers: Type[]): Route[] {
  const scanner = new MetadataScanner();
  return controllers.flatMap((controller) =>
    scanner.getAllMethodNames(controller.prototype).flatMap((name) => {
      const handler = (controller.prototype as Record<string, unknown>)[name] as object;
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) return [];
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as number;
      return [
        {
          route: `${controller.name}.${name} (method ${method}, path ${String(Reflect.getMetadata(PATH_METADATA, handler))})`,
          roles: Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, controller),
          isPublic:
            (Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, controller)) ===
            true,
        },
      ];
    }),
  );
}

/** A route is closed unless it names its roles (known ones, at least one) or says it is public. */
function undeclared(routes: Route[]): string[] {
  const declaresRoles = (roles: unknown): boolean =>
    Array.isArray(roles) &&
    roles.length > 0 &&
    roles.every((role) => (ROLES as readonly unknown[]).includes(role));
  return routes.filter((route) => !route.isPublic && !declaresRoles(route.roles)).map((route) => route.route);
}

describe('every route declares who may call it (deny by default)', () => {
  let t: TestApp;
  let controllers: Type[];

  beforeAll(async () => {
    t = await startTestApp();
    controllers = [...t.app.get(ModulesContainer).values()].flatMap((module) =>
      [...module.controllers.values()].map((wrapper) => wrapper.metatype as Type),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it("finds the application's controllers, so the walk below is not vacuous", () => {
    const names = routesOf(controllers).map((route) => route.route);
    expect(names).toEqual(
      expect.arrayContaining([
        expect.stringContaining('AuthController.login'),
        expect.stringContaining('UsersController.update'),
        expect.stringContaining('HealthController.check'),
      ]),
    );
  });

  it('has no route without @Roles(...) or @Public()', () => {
    expect(undeclared(routesOf(controllers))).toEqual([]);
  });

  // A new public route must be added here on purpose: everything else needs a token.
  it('keeps public only the routes that must be reached without a token', () => {
    const publicRoutes = routesOf(controllers)
      .filter((route) => route.isPublic)
      .map((route) => route.route.split(' ')[0])
      .sort();
    expect(publicRoutes).toEqual(expect.arrayContaining(['AuthController.login']));
    for (const route of publicRoutes)
      expect(route).toMatch(/^(AuthController\.login|HealthController\.|MetricsController\.)/);
  });

  it('would catch a route that forgot its roles (the checker itself works)', () => {
    @Controller('forgetful')
    class ForgetfulController {
      @Get()
      @Roles('admin')
      guarded(): void {}

      @Get('open')
      @Public()
      open(): void {}

      @Post()
      forgotten(): void {}

      @Post('empty')
      @Roles()
      nobody(): void {}

      notARoute(): void {}
    }
    expect(undeclared(routesOf([ForgetfulController]))).toEqual([
      expect.stringContaining('ForgetfulController.forgotten'),
      expect.stringContaining('ForgetfulController.nobody'),
    ]);
  });

  it('and the guard refuses such a route at run time (403 FORBIDDEN), even to an admin', async () => {
    @Controller('forgetful')
    class ForgetfulController {
      @Post()
      forgotten(this: void): void {}
    }
    const guard = new AuthGuard(t.app.get(Reflector), t.app.get(JwtService), t.app.get(UsersRepository));
    const request = { headers: { authorization: `Bearer ${await loginAsAdmin(t.http)}` } };
    const context = new ExecutionContextHost(
      [request, {}],
      ForgetfulController,
      ForgetfulController.prototype.forgotten,
    );
    await expect(guard.canActivate(context)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
