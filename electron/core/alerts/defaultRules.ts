// The default rule pack, on unless an operator supplies a rules file. The text is the
// same as defaultRules.yaml beside this file (a test keeps them equal): the YAML is what
// operators copy, this copy ships inside the build without a file to find at run time.
import type { AlertRule } from '../../../shared/alertRules';
import { parseRulesText } from './loadRulesFile';

export const DEFAULT_RULES_YAML = `# payops default alert rules. Copy this file, keep it in version control, and point the
# engine at it (rulesFile). Documented in electron/core/alerts/RULES.md.
version: 1
rules:
  - name: decline-rate-spike
    description: >-
      The share of authorizations that are declined rose far above what this stream
      normally shows: an issuer or scheme outage, a card-testing attack, or a broken
      checkout (3DS, expired keys). From the first minute it judges against a prior of
      8 % +/- 3 % (typical card-not-present decline rates), then against what it learned.
    runbookUrl: electron/core/alerts/RULES.md#decline-rate-spike
    severity: critical
    metric: decline_rate
    condition:
      baseline:
        direction: above
        deviations: 3
        minDelta: 5%
        halfLife: 1h
        warmup: 3m
        prior: { mean: 8%, deviation: 3% }
    window: 1m
    for: 30s
    keepFiringFor: 30s
    minVolume: 50
    noDataState: normal

  - name: authorization-failure-rate
    description: >-
      More than 5 % of payment attempts end in a technical failure (timeouts, processor
      errors) rather than an approval or a decline.
    runbookUrl: electron/core/alerts/RULES.md#authorization-failure-rate
    severity: critical
    metric: failure_rate
    condition:
      above: 5%
    recoverBelow: 4%
    window: 5m
    for: 2m
    keepFiringFor: 2m
    minVolume: 50
    noDataState: normal

  - name: traffic-stopped
    description: >-
      No payment or risk events at all for a minute, on a stream that usually carries at
      least 50 a minute: the producers, the exchange binding or the console's consumer is
      down. A sparse stream (a replayed capture of a few events an hour) has gaps that are
      normal for it and does not fire; one silence is one alert, until traffic is back.
    runbookUrl: electron/core/alerts/RULES.md#traffic-stopped
    severity: critical
    metric: no_data
    window: 1m
    keepFiringFor: 30s
    minVolume: 50

  - name: queue-depth-growing
    description: >-
      A message arriving now in a watched queue would wait more than a minute before a
      consumer takes it (depth over the rate messages leave, Little's law): its consumers
      cannot keep up. Needs the management API's rates.
    runbookUrl: electron/core/alerts/RULES.md#queue-depth-growing
    severity: warning
    metric: queue_delay_seconds
    groupBy: queue
    condition:
      above: 60
    window: 5m
    for: 2m
    keepFiringFor: 1m
    minVolume: 100

  - name: no-consumers
    description: >-
      A watched queue has no consumer: nothing is processing its messages.
    runbookUrl: electron/core/alerts/RULES.md#no-consumers
    severity: critical
    metric: consumer_count
    groupBy: queue
    condition:
      below: 1
    window: 1m
    for: 1m

  - name: queue-consumer-stuck
    description: >-
      A watched queue holds messages and has consumers, but for 2 minutes none of them took
      or acknowledged a message: a consumer is stuck (a hung handler, a deadlock, prefetch
      filled with messages it never acknowledges). The queue's delay cannot be computed
      then (nothing drains), so this is what catches it. Needs the management API's rates.
    runbookUrl: electron/core/alerts/RULES.md#queue-consumer-stuck
    severity: critical
    metric: queue_stalled_seconds
    groupBy: queue
    condition:
      above: 120
    window: 1m
    keepFiringFor: 30s
    minVolume: 1

  - name: fraud-burst-per-merchant
    description: >-
      The share of one merchant's risk decisions that are blocks jumped by more than 40
      points above what that merchant normally shows (a prior of 2 % until learned), with
      at least 30 risk decisions in 2 minutes: a fraud attack (card testing, account
      takeover) against that merchant. Relative to the merchant's own volume, so a big
      merchant's usual blocks never fire it.
    runbookUrl: electron/core/alerts/RULES.md#fraud-burst-per-merchant
    severity: critical
    metric: risk_blocked_rate
    groupBy: merchant
    condition:
      baseline:
        direction: above
        deviations: 3
        minDelta: 40%
        halfLife: 1h
        warmup: 5m
        prior: { mean: 2%, deviation: 10% }
    window: 2m
    for: 20s
    keepFiringFor: 2m
    minVolume: 30

  - name: fraud-share-high
    description: >-
      More than 3 % of all risk decisions over the last hour were blocks (at least 10
      decisions): fraud is running at a steady high level, not in one burst. Slow and
      sparse streams (a replayed capture) show it too.
    runbookUrl: electron/core/alerts/RULES.md#fraud-share-high
    severity: warning
    metric: risk_blocked_rate
    condition:
      above: 3%
    window: 1h
    for: 10m
    keepFiringFor: 2h
    minVolume: 10
    noDataState: normal

  - name: high-risk-score-p95
    description: >-
      The 95th percentile of risk scores stayed above 85 for two minutes: an unusual share
      of risky payments, or a risk model misbehaving.
    runbookUrl: electron/core/alerts/RULES.md#high-risk-score-p95
    severity: warning
    metric: risk_score_p95
    condition:
      above: 85
    window: 5m
    for: 2m
    keepFiringFor: 2m
    minVolume: 50
    noDataState: normal

  # Issue 13 (triage): a segment going down. Appended as its own block.
  - name: issuer-down
    description: >-
      One issuer approves under 30 % of its payment attempts (per attempt) for a minute:
      the issuer or its processor is down (decline code 91, issuer unavailable). Explain
      the alert to see its BIN ranges and codes.
    runbookUrl: electron/core/alerts/RULES.md#issuer-down
    severity: critical
    metric: approval_rate
    groupBy: issuer
    condition:
      below: 30%
    recoverAbove: 40%
    window: 2m
    for: 1m
    keepFiringFor: 2m
    minVolume: 30
    noDataState: normal

  - name: acquirer-down
    description: >-
      Over 30 % of one acquirer's payment attempts end in a technical failure (timeouts,
      processor errors) for a minute: route around it.
    runbookUrl: electron/core/alerts/RULES.md#acquirer-down
    severity: critical
    metric: failure_rate
    groupBy: acquirer
    condition:
      above: 30%
    window: 2m
    for: 1m
    keepFiringFor: 2m
    minVolume: 30
    noDataState: normal
`;

export const DEFAULT_RULES: readonly AlertRule[] = Object.freeze(parseRulesText(DEFAULT_RULES_YAML, 'yaml', 'default rules'));
