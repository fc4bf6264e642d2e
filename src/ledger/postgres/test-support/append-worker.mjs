// One docket process appending to a shared PostgreSQL log, for the multi-process sequencing test. Plain ESM run by
// `node` against the build (dist/), as a deployed docket would run. It appends `records` records in single and
// batched appends on two lanes at once (two pooled connections), then races conditional appends on shared keys,
// and prints one JSON line per acknowledged entry and per lost race; a line is printed only after the append
// returned, so every printed index is an acknowledged one.
//
// usage: node append-worker.mjs '<json: { dist, url, keyFile, worker, records, races, raceKeys }>'
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const config = JSON.parse(process.argv[2] ?? '{}');
const load = (path) => import(pathToFileURL(join(config.dist, path)).href);
const { Ledger } = await load('ledger/index.js');
const { PostgresLogStore } = await load('ledger/postgres/index.js');
const { readSignerKeyFile } = await load('keys/index.js');

const print = (line) => process.stdout.write(`${JSON.stringify({ worker: config.worker, ...line })}\n`);

const record = (name, predicate = {}, keys = []) => ({
  type: 'artefact',
  subject: [{ name, digest: `sha256:${createHash('sha256').update(name).digest('hex')}` }],
  predicate: { kind: 'other', name, ...predicate },
  keys,
});

const store = await PostgresLogStore.open({ connectionString: config.url, poolSize: 3 });
const ledger = new Ledger({ store, signer: readSignerKeyFile(config.keyFile) });

const acknowledge = (appended, extra = {}) => {
  for (const entry of appended) {
    print({
      kind: 'appended',
      index: entry.index,
      leafHash: entry.leafHash,
      checkpointSize: entry.checkpointSize,
      batch: appended.length,
      ...extra,
    });
  }
};

// Singles and batches of 2..4, split over two lanes that append concurrently.
async function lane(id, count) {
  let seq = 0;
  let turn = 0;
  while (seq < count) {
    const size = Math.min(count - seq, turn % 3 === 0 ? 1 : 2 + (turn % 3));
    const batch = Array.from({ length: size }, (_, k) => record(`w${config.worker}-l${id}-${seq + k}`));
    acknowledge(await ledger.append(batch));
    seq += size;
    turn += 1;
  }
}

// Conditional appends extending the history of a shared key: read its head, append only if it is still the head.
async function race(round) {
  const key = `race-${round % config.raceKeys}`;
  for (let attempt = 0; attempt < 200; attempt++) {
    const history = await ledger.find('request', key);
    const head = history.at(-1) ?? null;
    try {
      const appended = await ledger.append(
        [
          record(`w${config.worker}-race-${round}-${attempt}`, { after: head }, [
            { key: 'request', value: key },
          ]),
        ],
        { expectHead: { key: 'request', value: key, index: head } },
      );
      acknowledge(appended, { key, after: head });
      return;
    } catch (err) {
      if (err?.code !== 'ERR_LEDGER_CONFLICT') throw err;
      print({ kind: 'conflict', key, expected: head });
    }
  }
  throw new Error(`worker ${config.worker} never won a race on ${key}`);
}

try {
  const half = Math.floor(config.records / 2);
  await Promise.all([lane(0, half), lane(1, config.records - half)]);
  await Promise.all(Array.from({ length: config.races }, (_, round) => race(round)));
  print({ kind: 'done' });
} finally {
  await store.close();
}
