// Writes bench/detection/corpus.json: the labelled incident corpus of bench:detection (its
// recipes and labels), from buildCorpus(). Usage: npx tsx tools/build-detection-corpus.ts
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildCorpus } from '../bench/detection/corpus';

const file = path.resolve(__dirname, '..', 'bench', 'detection', 'corpus.json');
const cases = buildCorpus();
writeFileSync(file, JSON.stringify({ generatedBy: 'tools/build-detection-corpus.ts', cases }, null, 1) + '\n');
console.log(`${file}: ${cases.length} cases (${cases.filter((c) => c.inDefaultRun).length} in the default run)`);
