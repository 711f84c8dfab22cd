import { ErrorCode } from '../../../src/common/errors/error-code';
import { ApiErrors } from '../../../src/common/http/api-errors.decorator';

// @nestjs/swagger's metadata key for responses (DECORATORS.API_RESPONSE, not exported from the package root).
const API_RESPONSE = 'swagger/apiResponse';

interface Documented {
  description: string;
  schema: { allOf: [unknown, { properties: { statusCode: { enum: number[] }; code: { enum: string[] } } }] };
}

function responsesOf(decorator: MethodDecorator): Record<string, Documented> {
  class Controller {
    route(): void {}
  }
  const descriptor = Object.getOwnPropertyDescriptor(Controller.prototype, 'route') as PropertyDescriptor;
  decorator(Controller.prototype, 'route', descriptor);
  return Reflect.getMetadata(API_RESPONSE, descriptor.value as object) as Record<string, Documented>;
}

describe('ApiErrors', () => {
  it('derives each status from the error map and groups codes of one status in one response', () => {
    const responses = responsesOf(
      ApiErrors(
        ErrorCode.VALIDATION_FAILED,
        [ErrorCode.NOT_FOUND, 'No such dose'],
        ErrorCode.INVALID_TRANSITION,
        [ErrorCode.IDENTITY_MISMATCH, 'Wrong patient'],
        ErrorCode.DOSE_EXPIRED,
      ),
    );
    expect(Object.keys(responses).sort()).toEqual(['400', '404', '409', '422']);
    expect(responses['422'].schema.allOf[1].properties.code.enum).toEqual([
      'IDENTITY_MISMATCH',
      'DOSE_EXPIRED',
    ]);
    expect(responses['422'].schema.allOf[1].properties.statusCode.enum).toEqual([422]);
    expect(responses['404'].description).toBe('NOT_FOUND: No such dose');
    expect(responses['422'].description).toBe('IDENTITY_MISMATCH: Wrong patient. DOSE_EXPIRED');
  });

  it('refuses a code listed twice (the route would document it twice)', () => {
    expect(() => ApiErrors(ErrorCode.NOT_FOUND, [ErrorCode.NOT_FOUND, 'again'])).toThrow(/twice/);
  });
});
