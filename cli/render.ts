import { ParsedArgs, Io } from './commands';
export async function renderCommand(_a: ParsedArgs, _i: Io): Promise<number> {
  return 2;
}
