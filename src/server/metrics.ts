/**
 * Counts refused requests per reason code, for `/metrics`. Labels are fixed reason codes, never
 * request data, so the set of series stays small and no token can reach a metrics label.
 */
export class AuthFailureCounter {
  private readonly counts = new Map<string, number>();

  increment(reason: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
  }

  /** A snapshot: reason → count. */
  snapshot(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.counts);
  }

  /** Prometheus text exposition format. */
  toPrometheus(): string {
    const lines = [
      '# HELP gatepass_auth_failures_total Requests refused at authentication, by reason.',
      '# TYPE gatepass_auth_failures_total counter',
      ...[...this.counts].map(([reason, count]) => `gatepass_auth_failures_total{reason="${reason}"} ${count}`),
    ];
    return `${lines.join('\n')}\n`;
  }
}
