// A real, small file system for full-disk tests: tmpfs, or ext4 on a loop device (ext4 reserves
// space at write() for delayed allocation, and could report a failure at fsync or close instead).
// Mounting needs root (as in CI); without it the tests say why they are skipped.
import { spawnSync } from 'node:child_process';
import { closeSync, fstatSync, fsyncSync, mkdtempSync, openSync, readdirSync, rmSync, statfsSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export interface SmallDisk {
  /** The mount point. */
  root: string;
  /** Fills the disk with a filler file so that only about `bytes` stay free (0: full). */
  leave(bytes: number): void;
  /** Deletes the filler: the space is back. */
  free(): void;
  freeBytes(): number;
  /** Every path on the disk but the filler, relative to its root, sorted (tests put their data dirs anywhere on it). */
  files(): string[];
  unmount(): void;
}

export type Mounted = { disk: SmallDisk; skip: null } | { disk: null; skip: string };

function sh(cmd: string, args: string[]): { ok: boolean; err: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { ok: r.status === 0, err: `${r.stderr ?? ''}${r.error?.message ?? ''}`.trim() };
}

/** Mounts a `kind` file system of `sizeKb` KiB in a fresh temp dir, or says why it cannot. */
export function mountSmallDisk(kind: 'tmpfs' | 'ext4', sizeKb: number): Mounted {
  const root = mkdtempSync(join(tmpdir(), `kafkit-${kind}-`));
  let image: string | undefined;
  let mounted: { ok: boolean; err: string };
  if (kind === 'tmpfs') {
    mounted = sh('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', root]);
  } else {
    image = `${root}.img`;
    const made = sh('truncate', ['-s', `${sizeKb}K`, image]);
    // No reserved blocks (root could use them anyway) and no journal: the space is what the test fills.
    const fs = made.ok ? sh('mkfs.ext4', ['-q', '-F', '-m', '0', '-O', '^has_journal', image]) : made;
    mounted = fs.ok ? sh('mount', ['-o', 'loop', image, root]) : fs;
  }
  if (!mounted.ok) {
    rmSync(root, { recursive: true, force: true });
    if (image) rmSync(image, { force: true });
    return { disk: null, skip: `cannot mount a small ${kind} (needs root and mount): ${mounted.err}` };
  }
  const filler = join(root, 'filler');
  const freeBytes = () => {
    const s = statfsSync(root);
    return s.bavail * s.bsize;
  };
  const free = () => {
    for (const name of readdirSync(root)) if (name === 'filler' || name.startsWith('filler-')) rmSync(join(root, name), { force: true });
  };
  const disk: SmallDisk = {
    root,
    freeBytes,
    free,
    leave(bytes: number) {
      free();
      const fd = openSync(filler, 'w');
      try {
        const chunk = Buffer.alloc(64 * 1024, 0x5a);
        for (let want = freeBytes() - bytes; want > 0; ) {
          let n: number;
          try {
            n = writeSync(fd, chunk, 0, Math.min(chunk.length, want));
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
            throw err;
          }
          want -= n;
        }
        fsyncSync(fd);
        // Full means full: ext4 gives back part of what it reserved for delayed allocation at the fsync.
        // Each fsync can give back a little more, so go round until a round adds nothing.
        for (let round = 0, grew = bytes === 0; grew && round < 10; round++) {
          const before = fstatSync(fd).size;
          for (const size of [4096, 512, 1]) {
            try {
              for (;;) writeSync(fd, chunk, 0, size);
            } catch (err) {
              if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
            }
            fsyncSync(fd);
          }
          grew = fstatSync(fd).size > before;
        }
        // ext4 can refuse to grow the filler (its extent tree needs a block) while a new small file
        // still fits: take those blocks with small files.
        for (let n = 0; bytes === 0 && n < 1000; n++) {
          try {
            writeFileSync(`${filler}-${n}`, chunk.subarray(0, 512));
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
            break;
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    files() {
      const out: string[] = [];
      const walk = (d: string) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          const p = join(d, e.name);
          if (p === filler || p.startsWith(`${filler}-`) || e.name === 'lost+found') continue;
          out.push(relative(root, p));
          if (e.isDirectory()) walk(p);
        }
      };
      walk(root);
      return out.sort();
    },
    unmount() {
      // A file a failed test left open keeps the mount busy: detach it anyway (lazily).
      if (!sh('umount', [root]).ok) sh('umount', ['-l', root]);
      rmSync(root, { recursive: true, force: true });
      if (image) {
        try {
          unlinkSync(image);
        } catch {
          // already gone
        }
      }
    },
  };
  return { disk, skip: null };
}
