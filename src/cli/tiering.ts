import v8 = require('node:v8');

/**
 * V8 hands a function to its optimising compiler once about 66 KB of the
 * function's bytecode has run: a setting made for pages and servers that run
 * for minutes. Most CLI runs last a fraction of a second, and there most of
 * those compilations end too late to pay off while they take CPU time from
 * the run: on the 500-revision history, `codenav migrations` spent about 40%
 * of its instructions in them. A four times larger budget leaves such
 * functions in the baseline tier; code that runs long still gets optimised.
 *
 * Call it after loading the Node modules the run needs. Node ships its own
 * modules compiled, and V8 takes such code only under the flags it was
 * compiled with: a Node module first loaded after this change is compiled from
 * its source (`node:child_process` then takes about 7 ms instead of 2).
 *
 * Set only on V8 11 (Node 20), where it was measured: the flag's name and
 * meaning belong to V8, and an unknown flag would print an error.
 */
export function tuneTieringForShortRuns(): void {
  if (Number(process.versions.v8.split('.')[0]) !== 11) return;
  v8.setFlagsFromString('--interrupt-budget=270336');
}
