// The alerts one committed batch raises come from two evaluators (the rules and the burn-rate
// rules), each in its own time order. The notification router counts a new group's groupWait
// from the newest alert time it has seen, so in a replay, where one batch can span minutes of
// event time, they must reach it merged in event time: otherwise one evaluator's alerts are
// routed as if raised at the other's latest time, late by up to the batch's span, and the
// replay's messages depend on its batch size.
import type { AlertNotification } from '../../../shared/alerts';

export class BatchAlertOrder {
  private held: AlertNotification[] | null = null;

  constructor(private readonly emit: (n: AlertNotification) => void) {}

  /** Where the evaluators send their notifications: held during a batch, else passed on at once. */
  readonly raise = (n: AlertNotification): void => {
    if (this.held) this.held.push(n);
    else this.emit(n);
  };

  /** Runs the evaluations of one committed batch, then passes on what they raised in event-time order. */
  batch(evaluate: () => void): void {
    const held: AlertNotification[] = [];
    this.held = held;
    try {
      evaluate();
    } finally {
      this.held = null;
      held.sort((a, b) => a.at - b.at); // stable: one evaluator's order within a time is kept
      for (const n of held) this.emit(n);
    }
  }
}
