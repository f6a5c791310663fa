// Measures the functions' package sizes without holding up start-up: first a fast estimate (saved
// sizes of unchanged files, a ratio for the rest), then, in the background, the exact zipped size
// of whatever was estimated. The results land in each FunctionConfig as they come.
import { performance } from 'node:perf_hooks';
import { trackPackageSizing, type SizingJob } from '../code/package-status.js';
import type { FunctionConfig } from '../types/config.js';
import type { PackageSettings, PackageSizer } from './package-size.js';
import { loadSavedSizes, saveSizes, unsaved } from './package-size-cache.js';

/** Measuring time (ms), or files deflated, above which the sizes are saved for the next run. */
const SAVE_AFTER_MS = 200;
const SAVE_AFTER_FILES = 500;

/** A function to size and the package settings that decide its contents. */
export interface SizingTarget {
  fn: FunctionConfig;
  package: PackageSettings | null;
}

/**
 * Registers the sizing, to start when the server listens (or when a cold start or caller needs a
 * size first). packageBytes is 0 until the estimate lands; a cold start waits for the estimate, not
 * for the exact size.
 */
export function sizeInBackground(targets: SizingTarget[], functions: FunctionConfig[], sizer: PackageSizer, tsHandlers: string[], serviceDir: string): void {
  for (const { fn } of targets) fn.packageSizeExact = false;
  trackPackageSizing(functions, () => measure(targets, sizer, tsHandlers, serviceDir));
}

function measure(targets: SizingTarget[], sizer: PackageSizer, tsHandlers: string[], serviceDir: string): SizingJob {
  const estimate = (async () => {
    await loadSavedSizes(serviceDir);
    for (const { fn, package: pkg } of targets) {
      try {
        const e = await sizer.estimateFor({ package: pkg, handlerFile: fn.handlerFile }, tsHandlers);
        fn.packageBytes = e.bytes;
        fn.packageSizeExact = e.exact;
      } catch {
        // An unreadable file: the exact pass reports nothing better; the platform delay uses its base.
      }
    }
  })();
  const exact = estimate.then(async () => {
    const started = performance.now();
    let measured = false;
    for (const { fn, package: pkg } of targets) {
      if (fn.packageSizeExact) continue;
      try {
        fn.packageBytes = await sizer.bytesFor({ package: pkg, handlerFile: fn.handlerFile }, tsHandlers);
        fn.packageSizeExact = true;
        measured = true;
      } catch {
        // A TypeScript handler that does not compile: its cold start reports that; the estimate stays.
      }
    }
    // Saved only when measuring was work enough to matter: a small service gets no cache file.
    if (measured && (unsaved.files >= SAVE_AFTER_FILES || performance.now() - started >= SAVE_AFTER_MS)) await saveSizes(serviceDir).catch(() => undefined);
  });
  return { estimate, exact };
}
