import { QueryFailedError } from 'typeorm';
import { toErrorResponse } from '../../../src/common/errors/error-response';

/** A pg DatabaseError as the driver raises it (severity + code), raw as a failed connect gives it. */
const pgError = (code: string, message: string): Error =>
  Object.assign(new Error(message), { severity: 'FATAL', code });

const asStatementError = (error: Error): QueryFailedError => new QueryFailedError('SELECT 1', [], error);

describe('toErrorResponse: not getting a connection is 503 UNAVAILABLE', () => {
  it.each([
    ['55000', 'database "cpc" is not currently accepting connections'],
    ['57P01', 'terminating connection due to administrator command'],
    ['57P02', 'terminating connection due to crash of another server process'],
    ['57P03', 'the database system is starting up'],
    ['53300', 'sorry, too many clients already'],
    ['3D000', 'database "cpc" does not exist'],
    ['28P01', 'password authentication failed for user "cpc"'],
    ['08006', 'connection failure'],
    ['57014', 'canceling statement due to statement timeout'],
  ])('%s (%s), raw and inside a statement error', (code, message) => {
    for (const error of [pgError(code, message), asStatementError(pgError(code, message))]) {
      const response = toErrorResponse(error);
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('UNAVAILABLE');
      expect(response.unexpected).toBe(false);
    }
  });

  it.each([
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'],
    ['ETIMEDOUT', 'connect ETIMEDOUT'],
    [undefined, 'timeout exceeded when trying to connect'],
    [undefined, 'Connection terminated unexpectedly'],
    [undefined, 'Query read timeout'],
  ])('%s %s', (code, message) => {
    const response = toErrorResponse(Object.assign(new Error(message), code ? { code } : {}));
    expect(response.status).toBe(503);
    expect(response.body.code).toBe('UNAVAILABLE');
  });

  it('keeps a statement-level 55000 that is not about connections a 500 (a bug to look at)', () => {
    const response = toErrorResponse(
      asStatementError(pgError('55000', 'currval of sequence "x" is not yet defined in this session')),
    );
    expect(response.status).toBe(500);
  });
});
