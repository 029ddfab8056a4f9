/** Delivery: how each distro stores the audit configuration (plan, read back, render). Pure TS, no Vue, no store. */
export * from './types';
export * from './distro';
export * from './args';
export * from './annotation';
export * from './cluster';
export * from './settings';
export * from './files';
export * from './objects';
export * from './names';
export * from './numbers';
export * from './plan';
export * from './render';
export { fileHash, fromBase64 } from './sha256';
export * from './consumers';
export * from './sharing';
export * from './checks';
