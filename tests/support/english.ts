/**
 * A result without its message code and parameters: what the CLI prints. Tables that pin the English text use it;
 * tests/unit/messages.test.ts checks that every code's English is its template filled with its parameters.
 */
export function english<T extends { code?: string, params?: unknown }>(value: T): Omit<T, 'code' | 'params'> {
  const { code, params, ...rest } = value; // eslint-disable-line @typescript-eslint/no-unused-vars

  return rest;
}
