import fs = require('node:fs');
import Module = require('node:module');
import os = require('node:os');
import path = require('node:path');
import vm = require('node:vm');

interface ModuleInternals {
  exports: unknown;
  _compile(content: string, filename: string): unknown;
}

/**
 * Keeps the engine's compiled code between runs, as Python keeps `__pycache__`:
 * the bundles below `ownDir` are compiled by V8 once, and later runs start from
 * the stored code (`module.enableCompileCache` does this from Node 22.1; on
 * older runtimes the bundles are compiled through `vm.Script` with cached
 * data). The store is a folder of the user's own in the temp folder, or
 * CODENAV_COMPILE_CACHE; `CODENAV_COMPILE_CACHE=off` turns it off. A store that
 * cannot be used changes nothing but speed.
 */
export function useCompileCache(ownDir: string): void {
  const setting = process.env.CODENAV_COMPILE_CACHE;
  if (setting === 'off' || setting === '0') return;
  const dir = setting || path.join(os.tmpdir(), `codenav-compile-cache-${typeof process.getuid === 'function' ? process.getuid() : 'user'}`);
  const native = (Module as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (typeof native === 'function') {
    native(dir);
    return;
  }
  if (!ownedFolder(dir)) return;
  const proto = (Module as unknown as { prototype: ModuleInternals }).prototype;
  const compile = proto._compile;
  const toWrite: { bundle: string; file: string; script: vm.Script }[] = [];
  proto._compile = function (this: ModuleInternals, content: string, filename: string) {
    if (path.dirname(filename) !== ownDir && path.dirname(path.dirname(filename)) !== ownDir) return compile.call(this, content, filename);
    // V8 checks the source length only. As Python checks a source's size and time, the name holds the
    // bundle file's identity (inode, size, change times), so a store never serves another build's code
    // (hashing the bundle's text would mean loading node:crypto on every run).
    const key = bundleKey(filename, content);
    if (!key) return compile.call(this, content, filename);
    const bundle = path.basename(filename);
    const file = path.join(dir, `${bundle}.${key}.v8`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) toWrite.push({ bundle, file, script });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, Module.createRequire(filename), this, filename, path.dirname(filename));
  };
  // At exit the stored code includes every function the run compiled, not just the top level.
  process.once('exit', () => {
    for (const { bundle, file, script } of toWrite) {
      try {
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, file);
        // Code stored for earlier builds of the same bundle is of no further use.
        for (const old of fs.readdirSync(dir)) if (old.startsWith(`${bundle}.`) && old.endsWith('.v8') && path.join(dir, old) !== file) fs.rmSync(path.join(dir, old), { force: true });
      } catch {
        /* a full disk or a read-only store: the next run compiles again */
      }
    }
  });
}

/**
 * The bundle's identity for the store: the runtime, then the file's inode,
 * size, modification and change times (the change time cannot be set back by
 * tools that copy or extract files). Undefined when the file on disk is not the
 * size of the text being compiled, as while a build replaces it.
 */
function bundleKey(filename: string, content: string): string | undefined {
  let st: fs.BigIntStats;
  try {
    st = fs.statSync(filename, { bigint: true });
  } catch {
    return undefined;
  }
  if (st.size !== BigInt(Buffer.byteLength(content))) return undefined;
  return [process.version, process.arch, st.ino, st.size, st.mtimeNs, st.ctimeNs].join('-').replace(/[^\w.-]/g, '_');
}

/** The folder exists (created if need be), is a folder, and belongs to this user alone: no one else can plant code in it. */
function ownedFolder(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return false;
    if (typeof process.getuid === 'function' && (st.uid !== process.getuid() || (st.mode & 0o022) !== 0)) return false;
    return true;
  } catch {
    return false;
  }
}
