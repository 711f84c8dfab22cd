/** A chart shows at most this many points (docs/environment.md, "Chart"). */
export const MAX_CHART_POINTS = 2_000;
/** Each bucket gives its lowest and its highest reading, so no spike is averaged away. */
export const CHART_BUCKETS = MAX_CHART_POINTS / 2;

/** A bucket's extremes as the database gives them: [temperature, epoch seconds] of the lowest and highest. */
export interface ReadingBucket {
  readings: number;
  lowest: [number, number];
  highest: [number, number];
}

export interface ChartPoint {
  at: Date;
  temperatureC: number;
}

/** The width of a bucket, in milliseconds, for a period shown in {@link CHART_BUCKETS} buckets. */
export function bucketWidthMs(from: Date, to: Date): number {
  return Math.max((to.getTime() - from.getTime()) / CHART_BUCKETS, 1);
}

/**
 * The points of a downsampled chart: every bucket's lowest and highest reading, each at its own instant and in
 * time order, so every point is a real reading (one per bucket when both are the same reading).
 */
export function pointsOfBuckets(buckets: readonly ReadingBucket[]): ChartPoint[] {
  const points: ChartPoint[] = [];
  for (const bucket of buckets) {
    const [low, high] = [bucket.lowest, bucket.highest].sort((a, b) => a[1] - b[1]);
    points.push({ at: new Date(Math.round(low[1] * 1000)), temperatureC: low[0] });
    if (high[1] !== low[1]) points.push({ at: new Date(Math.round(high[1] * 1000)), temperatureC: high[0] });
  }
  return points;
}
