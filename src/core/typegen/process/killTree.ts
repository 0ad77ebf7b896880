import { execFile } from 'node:child_process';
import fs = require('node:fs');
import treeKill from 'tree-kill';

interface ProcEntry {
  pid: number;
  ppid: number;
  pgrp: number;
  zombie: boolean;
}

export interface KillOptions {
  /** Time between SIGTERM and SIGKILL. */
  graceMs?: number;
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function linuxTable(): ProcEntry[] {
  const out: ProcEntry[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.push({ pid: Number(name), ppid: Number(fields[1]), pgrp: Number(fields[2]), zombie: fields[0] === 'Z' || fields[0] === 'X' });
  }
  return out;
}

function psTable(): Promise<ProcEntry[]> {
  return new Promise((resolve) => {
    execFile('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat='], { windowsHide: true }, (err, stdout) => {
      if (err) return resolve([]);
      resolve(
        stdout
          .split('\n')
          .map((l) => l.trim().split(/\s+/))
          .filter((f) => f.length >= 4)
          .map(([pid, ppid, pgid, st]) => ({ pid: Number(pid), ppid: Number(ppid), pgrp: Number(pgid), zombie: st.startsWith('Z') })),
      );
    });
  });
}

async function processTable(): Promise<ProcEntry[]> {
  if (process.platform === 'linux' && fs.existsSync('/proc/self/stat')) return linuxTable();
  return psTable();
}

/** The live (non-zombie) processes of the tree under `roots`, plus the members of `group`. */
async function treeOf(roots: Iterable<number>, group: number): Promise<Set<number>> {
  const table = (await processTable()).filter((p) => !p.zombie);
  const children = new Map<number, number[]>();
  for (const p of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const out = new Set<number>();
  const stack = [...roots, ...table.filter((p) => p.pgrp === group).map((p) => p.pid)];
  while (stack.length) {
    const pid = stack.pop()!;
    if (out.has(pid)) continue;
    if (table.some((p) => p.pid === pid)) out.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

function send(pids: Iterable<number>, signal: NodeJS.Signals, group?: number): void {
  if (group !== undefined)
    try {
      process.kill(-group, signal);
    } catch {
      /* the group is gone or was never one */
    }
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Ends a process and everything it started: its process group (the runner
 * spawns detached, so the leader's pid is the group id) and every descendant,
 * including those that moved to a group of their own. SIGTERM first, SIGKILL
 * after the grace period. Resolves when none of them is alive.
 */
export async function killProcessTree(pid: number, options: KillOptions = {}): Promise<void> {
  if (process.platform === 'win32') {
    await new Promise<void>((resolve) => treeKill(pid, 'SIGKILL', () => resolve()));
    return;
  }
  const graceMs = options.graceMs ?? 2000;
  const known = await treeOf([pid], pid);
  known.add(pid);
  send(known, 'SIGTERM', pid);
  const deadline = Date.now() + graceMs;
  for (;;) {
    const alive = await treeOf(known, pid);
    if (alive.size === 0) return;
    const fresh = [...alive].filter((p) => !known.has(p));
    fresh.forEach((p) => known.add(p));
    if (Date.now() >= deadline) break;
    if (fresh.length) send(fresh, 'SIGTERM');
    await pause(25);
  }
  for (let i = 0; i < 40; i++) {
    const alive = await treeOf(known, pid);
    if (alive.size === 0) return;
    for (const p of alive) known.add(p);
    send(alive, 'SIGKILL', pid);
    await pause(25);
  }
}
