/** What the journey takes and gives back; apart from journey.ts so that code can run it without its types. */
export interface JourneyOptions {
  baseUrl: string;
  admin: { email: string; password: string };
  fetch?: (request: Request) => Promise<Response>;
}

export interface JourneyResult {
  din: string;
  doseLabel: string;
  vialLabels: string[];
  auditActions: string[];
}

export type RunJourney = (options: JourneyOptions) => Promise<JourneyResult>;
