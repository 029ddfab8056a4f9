/**
 * Objects built from untrusted keys: every key is an own property, whatever its name (`__proto__`,
 * `constructor`, `toString`), and no key is ever read from the prototype.
 */

/** Sets `obj[key]` as an own, enumerable property (assignment to `__proto__` would replace the prototype). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, {
      value, writable: true, enumerable: true, configurable: true
    });
  } else {
    obj[key] = value;
  }
}

/** Whether `obj` has `key` as its own property. */
export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** `obj[key]` when it is an own property, else undefined. */
export function getOwn<T>(obj: Record<string, T>, key: string): T | undefined {
  return hasOwn(obj, key) ? obj[key] : undefined;
}
