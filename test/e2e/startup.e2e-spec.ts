import { Logger } from '@nestjs/common';
import { startTestApp } from '../support/test-app';

/** A clean start: warnings there train operators to ignore warnings. */
describe('starting the app', () => {
  it('warns about no route path (no LegacyRouteConverter conversions)', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const t = await startTestApp();
    try {
      const routeWarnings = warn.mock.calls.filter((args) =>
        args.some((arg) => typeof arg === 'string' && /route path|LegacyRouteConverter/i.test(arg)),
      );
      expect(routeWarnings).toEqual([]);
    } finally {
      warn.mockRestore();
      await t.close();
    }
  });
});
