import { Injectable } from '@nestjs/common';

/**
 * Time comes from here, never from `new Date()` in a rule, so tests can move it (shelf life, review dates,
 * sweeps). The system clock is the default; tests override the provider with a {@link FixedClock}.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

export class FixedClock extends Clock {
  constructor(private current: Date) {
    super();
  }
  override now(): Date {
    return new Date(this.current.getTime());
  }
  set(at: Date): void {
    this.current = new Date(at.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
