/**
 * Preloaded (`node --require`) into every measured child: at exit it writes the process's own
 * resource usage (peak RSS in KB as `maxRSS`) and heap figures to the file the parent named.
 */
import * as fs from 'node:fs';
import * as v8 from 'node:v8';

const file = process.env.CODENAV_BENCH_RUSAGE_FILE;
if (file) {
  delete process.env.CODENAV_BENCH_RUSAGE_FILE;
  process.on('exit', () => {
    try {
      const heap = v8.getHeapStatistics();
      fs.writeFileSync(file, JSON.stringify({ ...process.resourceUsage(), heapUsed: heap.used_heap_size, peakMallocedMemory: heap.peak_malloced_memory }));
    } catch {
      /* the parent reports the missing figures */
    }
  });
}
