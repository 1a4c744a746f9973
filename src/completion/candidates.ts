// What the word under the cursor may become: option names of the tool, or, after --topic and
// --group, the topics and groups of the data dir (or of the cluster named by --bootstrap-server).
// Reads only: a completion must never create or change a data dir.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ToolSpec } from '../commands/cli.js';
import type { Admin } from '../client/types.js';
import { listGroupIds } from '../engine/groups/group-store.js';

/** A cluster that does not answer within this gives no names: the shell must not hang. */
const REMOTE_TIMEOUT_MS = 1500;

type NameKind = 'topic' | 'group';
const NAME_OPTIONS: Record<string, NameKind> = { topic: 'topic', group: 'group' };

export interface NameSource {
  topics(): Promise<string[]>;
  groups(): Promise<string[]>;
}

/**
 * `words` are the command line after the tool's name, the last one being the word under the cursor
 * ('' when the cursor follows a space). Returns full words; the shell script trims what it must.
 */
export async function completions(tool: ToolSpec, words: string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const cur = words.length > 0 ? words[words.length - 1] : '';
  const before = words.slice(0, -1);
  const names = (kind: NameKind, prefix: string) => namesOf(kind, sourceFor(before, env)).then((all) => all.filter((n) => n.startsWith(prefix)));

  const eq = cur.indexOf('=');
  if (cur.startsWith('--') && eq > 0) {
    const kind = NAME_OPTIONS[optionName(tool, cur.slice(2, eq)) ?? ''];
    return kind ? (await names(kind, cur.slice(eq + 1))).map((n) => `${cur.slice(0, eq + 1)}${n}`) : [];
  }
  const prev = before.length > 0 ? before[before.length - 1] : undefined;
  const prevName = prev?.startsWith('--') ? optionName(tool, prev.slice(2)) : undefined;
  const prevSpec = prevName ? tool.options[prevName] : undefined;
  if (prevSpec && prevSpec.type !== 'boolean' && !(prevSpec.optionalValue && cur.startsWith('-'))) {
    const kind = NAME_OPTIONS[prevName!];
    // Other values (files, numbers, host:port): nothing here, the shell offers file names.
    return kind ? names(kind, cur) : [];
  }
  if (cur !== '' && !cur.startsWith('-')) return [];
  return flagNames(tool, before).filter((f) => f.startsWith(cur));
}

function optionName(tool: ToolSpec, raw: string): string | undefined {
  if (tool.options[raw]) return raw;
  return Object.keys(tool.options).find((name) => tool.options[name].newName === raw);
}

/** Every option not given yet (repeatable ones always), with --help and --version. */
function flagNames(tool: ToolSpec, given: string[]): string[] {
  const used = new Set(given.filter((w) => w.startsWith('--')).map((w) => w.slice(2).split('=')[0]));
  const out = new Set(['--help', '--version']);
  for (const [name, spec] of Object.entries(tool.options)) {
    if (used.has(name) && !spec.repeatable) continue;
    out.add(`--${name}`);
    if (spec.newName) out.add(`--${spec.newName}`);
  }
  return [...out].sort();
}

function sourceFor(before: string[], env: NodeJS.ProcessEnv): NameSource {
  let bootstrap: string | undefined;
  before.forEach((w, i) => {
    if (w === '--bootstrap-server' && i + 1 < before.length) bootstrap = before[i + 1];
    else if (w.startsWith('--bootstrap-server=')) bootstrap = w.slice('--bootstrap-server='.length);
  });
  return bootstrap ? remoteSource(bootstrap) : dataDirSource(env.KAFKIT_DATA_DIR || './.kafkit');
}

async function namesOf(kind: NameKind, source: NameSource): Promise<string[]> {
  try {
    return (kind === 'topic' ? await source.topics() : await source.groups()).sort();
  } catch {
    return [];
  }
}

export function dataDirSource(dataDir: string): NameSource {
  return {
    async topics() {
      const metadata = JSON.parse(readFileSync(join(dataDir, 'metadata.json'), 'utf8')) as { topics?: Record<string, unknown> };
      return Object.keys(metadata.topics ?? {});
    },
    async groups() {
      return listGroupIds(dataDir);
    },
  };
}

function remoteSource(bootstrapServer: string): NameSource {
  const withAdmin = async <T>(fn: (admin: Admin) => Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), REMOTE_TIMEOUT_MS);
    });
    try {
      const work = (async () => {
        const { connect } = await import('../client/connect.js');
        const client = await connect({ bootstrapServer, timeoutMs: REMOTE_TIMEOUT_MS });
        return fn(await client.admin());
      })();
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    topics: () => withAdmin((a) => a.listTopics()),
    groups: () => withAdmin(async (a) => (await a.listGroups()).map((g) => g.groupId)),
  };
}
