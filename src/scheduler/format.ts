/** Writes an amount for a reason message: at most three decimals, no trailing zeros. */
export const formatAmount = (x: number): string =>
  Number.isFinite(x) ? String(Number(x.toFixed(3))) : x > 0 ? "unlimited" : "-unlimited";
