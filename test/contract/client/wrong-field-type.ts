/**
 * Client code with deliberate type mistakes: test/contract/typed-client.contract-spec.ts checks that the
 * generated client refuses each marked line (and nothing else), which proves the types are precise enough
 * to catch a wrong field before it reaches the server.
 */
import createClient from 'openapi-fetch';
import type { paths } from '../generated/cpc-api';

const api = createClient<paths>({ baseUrl: 'http://127.0.0.1:3000' });

export async function aPassageCountedInWords(batchId: string): Promise<number> {
  const answer = await api.POST('/api/v1/batches/{id}/passages', {
    params: { path: { id: batchId } },
    body: {
      passageNumber: 1,
      performedAt: '2026-11-24T09:30:00Z',
      cellsHarvested: 'four million', // wrong: a cell count is a number
      viabilityPct: 94,
      cellsSeeded: 1_000_000,
    },
  });
  const batch = await api.GET('/api/v1/batches/{id}', { params: { path: { id: batchId } } });
  const din: number | undefined = batch.data?.din; // wrong: a DIN is a string
  return (answer.data?.passageNumber ?? 0) + (din ?? 0);
}
