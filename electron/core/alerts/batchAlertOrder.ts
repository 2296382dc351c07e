// The alerts one committed batch raises come from two evaluators (the rules and the burn-rate
// rules), each in its own time order. The notification router counts a new group's groupWait
// from the newest alert time it has seen, so in a replay, where one batch can span minutes of
// event time, they must reach it merged in event time: otherwise one evaluator's alerts are
// routed as if raised at the other's latest time, late by up to the batch's span, and the
// replay's messages depend on its batch size.
import type { AlertNotification, AlertSilenceChange } from '../../../shared/alerts';

type Held = { notification: AlertNotification; change?: undefined } | { change: AlertSilenceChange; notification?: undefined };

export class BatchAlertOrder {
  private held: Held[] | null = null;

  constructor(
    private readonly emit: (n: AlertNotification) => void,
    private readonly emitChange: (c: AlertSilenceChange) => void = () => undefined,
  ) {}

  /** Where the evaluators send their notifications: held during a batch, else passed on at once. */
  readonly raise = (n: AlertNotification): void => {
    if (this.held) this.held.push({ notification: n });
    else this.emit(n);
  };

  /** Where silence changes go: in the same order as the notifications they follow. */
  readonly silenceChanged = (c: AlertSilenceChange): void => {
    if (this.held) this.held.push({ change: c });
    else this.emitChange(c);
  };

  /** Runs the evaluations of one committed batch, then passes on what they raised in event-time order. */
  batch(evaluate: () => void): void {
    const held: Held[] = [];
    this.held = held;
    try {
      evaluate();
    } finally {
      this.held = null;
      // Stable: one evaluator's order within a time is kept.
      held.sort((a, b) => (a.notification ?? a.change!).at - (b.notification ?? b.change!).at);
      for (const h of held) {
        if (h.notification) this.emit(h.notification);
        else this.emitChange(h.change);
      }
    }
  }
}
