// The host features that need a package the lean install leaves out (the XS engine, the
// converter, reference TFLite): each loads it on first use, and when it is not installed says so
// in one line with the command that gets it, instead of Node's ERR_MODULE_NOT_FOUND paragraph.

import { createRequire } from 'node:module';

/** A host feature needs a package that is not installed: exit code 1, message as it is. */
export class MissingPackage extends Error {
  readonly packages: readonly string[];

  constructor(feature: string, packages: readonly string[]) {
    super(`${feature} needs ${packages.join(' and ')}: npm install ${packages.join(' ')}`);
    this.name = 'MissingPackage';
    this.packages = packages;
  }
}

/** Whether `error` says that `specifier` itself (not something it imports) cannot be found. */
export function isNotFound(error: unknown, specifier: string): boolean {
  const e = error as NodeJS.ErrnoException;
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' && e?.code !== 'MODULE_NOT_FOUND') return false;
  const message = String(e.message ?? '');
  return message.includes(`'${specifier}'`) || message.includes(`"${specifier}"`) || message.includes(`/${specifier}/`);
}

/**
 * Imports `specifier` for `feature` ("the XS engine"); when it is missing, throws MissingPackage
 * naming `packages` (what to install, default the specifier's package).
 */
export async function importOptional<T = any>(specifier: string, feature: string, packages: readonly string[] = [packageOf(specifier)]): Promise<T> {
  try {
    return await import(specifier) as T;
  } catch (error) {
    if (isNotFound(error, packageOf(specifier))) throw new MissingPackage(feature, packages);
    throw error;
  }
}

/** requireOptional: the synchronous form, for features whose API is synchronous (PNG decoding). */
export function requireOptional<T = any>(specifier: string, feature: string, packages: readonly string[] = [packageOf(specifier)]): T {
  try {
    return createRequire(import.meta.url)(specifier) as T;
  } catch (error) {
    if (isNotFound(error, packageOf(specifier))) throw new MissingPackage(feature, packages);
    throw error;
  }
}

/** "@scope/name/sub/path" -> "@scope/name"; "name/sub" -> "name". */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
