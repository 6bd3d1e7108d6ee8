/** A key/value label, as on jobs, pods and hosts. */
export interface Label {
  readonly key: string;
  readonly value: string;
}

/** Counts how many labels in `labels` equal `key=value`. */
export const countLabel = (labels: readonly Label[], key: string, value: string): number =>
  labels.reduce((n, l) => (l.key === key && l.value === value ? n + 1 : n), 0);
