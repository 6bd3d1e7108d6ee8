/** Hands out small integer ids for `key=value` labels so per-host counts are keyed by numbers. */
export class LabelInterner {
  readonly #ids = new Map<string, Map<string, number>>();
  #next = 0;

  id(key: string, value: string): number {
    let byValue = this.#ids.get(key);
    if (byValue === undefined) {
      byValue = new Map();
      this.#ids.set(key, byValue);
    }
    let id = byValue.get(value);
    if (id === undefined) {
      id = this.#next++;
      byValue.set(value, id);
    }
    return id;
  }
}
