import { deriveOperationId } from '../../../src/common/openapi/operation-ids';

const name = (method: string, path: string, returnsList = false) =>
  deriveOperationId({ method, path: `/api/v1${path}`, returnsList, prefix: '/api/v1' });

describe('operationIds derived from the route', () => {
  it('names a collection, its items and its members', () => {
    expect(name('post', '/batches')).toBe('createBatch');
    expect(name('get', '/batches', true)).toBe('listBatches');
    expect(name('get', '/batches/{id}')).toBe('getBatch');
    expect(name('patch', '/users/{id}')).toBe('updateUser');
    expect(name('get', '/batches/by-din/{din}')).toBe('getBatchByDin');
    expect(name('get', '/jobs/{name}/runs/{jobId}')).toBe('getJobRun');
  });

  it('adds to a sub-collection, records a singular event, and names actions by their verb', () => {
    expect(name('post', '/batches/{id}/passages')).toBe('createBatchPassage');
    expect(name('post', '/batches/{id}/qc-results')).toBe('createBatchQcResult');
    expect(name('get', '/batches/{id}/doses', true)).toBe('listBatchDoses');
    expect(name('post', '/batches/{id}/isolation')).toBe('recordBatchIsolation');
    expect(name('post', '/batches/{id}/final-harvest')).toBe('recordBatchFinalHarvest');
    expect(name('post', '/batches/{id}/release')).toBe('releaseBatch');
    expect(name('post', '/vials/{id}/thaw')).toBe('thawVial');
    expect(name('get', '/audit/verify')).toBe('verifyAudit');
  });

  it('reads a view of an item, and keeps a file suffix in the name', () => {
    expect(name('get', '/batches/{id}/growth')).toBe('getBatchGrowth');
    expect(name('get', '/batches/{id}/growth.svg')).toBe('getBatchGrowthSvg');
    expect(name('get', '/storage-units/{id}/free-positions', true)).toBe('listStorageUnitFreePositions');
    expect(name('put', '/batches/{id}/injection-plan')).toBe('setBatchInjectionPlan');
  });

  it('drops the auth namespace and names the routes whose derived name would mislead', () => {
    expect(name('post', '/auth/login')).toBe('login');
    expect(name('get', '/auth/me')).toBe('getMe');
    expect(name('post', '/auth/password')).toBe('changePassword');
  });

  it('names routes outside the API prefix from their path', () => {
    expect(deriveOperationId({ method: 'get', path: '/health', returnsList: false, prefix: '/api/v1' })).toBe(
      'getHealth',
    );
  });
});
