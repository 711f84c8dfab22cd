import { TransactionalEvent } from '../../common/events/event-bus';

/**
 * A booster was requested for a donor, inside the request's transaction after its vials are reserved. The
 * outcomes module resolves the donor's BOOSTER_CANDIDATE flag there.
 */
export class BoosterRequested extends TransactionalEvent {
  constructor(
    readonly boosterId: string,
    readonly donorId: string,
  ) {
    super();
  }
}
