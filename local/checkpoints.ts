/** Stream checkpoints in a small JSON file beside DynamoDB Local's data. */
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import type { Checkpoints } from './stream-poller.js';

export function fileCheckpoints(path: string): Checkpoints {
  let saved: Record<string, string> = {};
  try {
    saved = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    saved = {};
  }
  return {
    load: (shardId) => saved[shardId],
    save(shardId, sequenceNumber) {
      saved[shardId] = sequenceNumber;
      writeFileSync(`${path}.tmp`, JSON.stringify(saved));
      renameSync(`${path}.tmp`, path);
    },
  };
}
