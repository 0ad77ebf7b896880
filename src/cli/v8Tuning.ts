/**
 * Four V8 settings made for pages and servers that run for minutes, changed
 * for a CLI run that lasts a fraction of a second:
 *
 * - V8 hands a function to its optimising compiler once about 66 KB of the
 *   function's bytecode has run. In a short run most of those compilations end
 *   too late to pay off while they take CPU time from the run: on the
 *   500-revision history, `codenav migrations` spent about 40% of its
 *   instructions in them. A four times larger budget leaves such functions in
 *   the baseline tier; code that runs long still gets optimised.
 * - V8 tracks where objects are created, to create long-lived kinds directly
 *   in the old generation. The bookkeeping costs at every object and at every
 *   minor collection, and pays off only in long runs: without it the same run
 *   takes about 4% fewer instructions (18M of 400M).
 * - V8 first compiles a regular expression for its interpreter, then again to
 *   machine code when it runs a second time. The reader's patterns run for
 *   every file, so they are compiled to machine code at once: about 5M fewer
 *   instructions on the 500-revision history and on the sample alike.
 * - The young generation starts at 1 MB and doubles each time more than its
 *   size has survived. Most of what a run reads lives to its end, so every
 *   minor collection copies it again: seven collections, about 11 ms, on the
 *   500-revision history. Growing eightfold at once leaves four (about 6 ms).
 *   The largest size is V8's own, as before; it is reached sooner.
 *
 * Call it after loading the Node modules the run needs. Node ships its own
 * modules compiled, and V8 takes such code only under the flags it was
 * compiled with: a Node module first loaded after this change is compiled from
 * its source (`node:child_process` then takes about 7 ms instead of 2).
 *
 * Set only on V8 11 (Node 20), where it was measured: the flags' names and
 * meanings belong to V8, and an unknown flag would print an error.
 */
export function tuneV8ForShortRuns(): void {
  if (Number(process.versions.v8.split('.')[0]) !== 11) return;
  v8Flags().setFlagsFromString('--interrupt-budget=270336 --no-allocation-site-pretenuring --no-regexp-tier-up --semi-space-growth-factor=8');
}

interface V8Flags {
  setFlagsFromString(flags: string): void;
}

/**
 * Where to set a V8 flag. `node:v8` loads Node's stream modules with it
 * (about 3 ms of every run), so Node 20's own binding behind it is used when
 * it has the same function; asking for it prints a deprecation warning, which
 * is held back for that one call only.
 */
function v8Flags(): V8Flags {
  const quiet = process.noDeprecation;
  process.noDeprecation = true;
  try {
    const binding = (process as unknown as { binding(name: string): Partial<V8Flags> }).binding('v8');
    if (typeof binding.setFlagsFromString === 'function') return binding as V8Flags;
  } catch {
    /* no such binding: the public module below */
  } finally {
    process.noDeprecation = quiet;
  }
  return require('node:v8') as V8Flags;
}
