/**
 * Samples the app's resident set size every `intervalMs` while the scenarios run, and keeps the peak of each
 * phase (the harness names the phase it is in) and of the whole run.
 */
export class RssSampler {
  private readonly peaks = new Map<string, number>();
  private phase = 'idle';
  private timer: NodeJS.Timeout | null = null;
  private series: { at: number; mib: number }[] = [];

  constructor(
    private readonly read: () => number | null,
    private readonly intervalMs = 100,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Starts a phase; its samples are also kept as a series (for the export's constant-memory check). */
  enter(phase: string): void {
    this.sample();
    this.phase = phase;
    this.series = [];
    this.sample();
  }

  current(): number | null {
    return this.read();
  }

  peak(phase?: string): number | null {
    if (phase) return this.peaks.get(phase) ?? null;
    return this.peaks.size ? Math.max(...this.peaks.values()) : null;
  }

  phasePeaks(): Record<string, number> {
    return Object.fromEntries(this.peaks);
  }

  /** The samples of the current phase, oldest first. */
  phaseSeries(): readonly { at: number; mib: number }[] {
    return this.series;
  }

  private sample(): void {
    const mib = this.read();
    if (mib === null) return;
    this.series.push({ at: Date.now(), mib });
    this.peaks.set(this.phase, Math.max(this.peaks.get(this.phase) ?? 0, mib));
  }
}
