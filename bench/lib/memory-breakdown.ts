import { ApiClient } from './api-client';

/** Where the app's memory is, from its own Prometheus metrics (prom-client's default process metrics), in MiB. */
export interface MemoryBreakdown {
  rss: number | null;
  heapTotal: number | null;
  heapUsed: number | null;
  external: number | null;
}

const METRICS: Record<keyof MemoryBreakdown, string> = {
  rss: 'process_resident_memory_bytes',
  heapTotal: 'nodejs_heap_size_total_bytes',
  heapUsed: 'nodejs_heap_size_used_bytes',
  external: 'nodejs_external_memory_bytes',
};

export async function memoryBreakdown(api: ApiClient): Promise<MemoryBreakdown> {
  const { body } = await api.request<string>('GET', '/metrics');
  const text = typeof body === 'string' ? body : '';
  const read = (metric: string): number | null => {
    const value = new RegExp(`^${metric}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text)?.[1];
    return value === undefined ? null : Math.round((Number(value) / 2 ** 20) * 10) / 10;
  };
  return {
    rss: read(METRICS.rss),
    heapTotal: read(METRICS.heapTotal),
    heapUsed: read(METRICS.heapUsed),
    external: read(METRICS.external),
  };
}
