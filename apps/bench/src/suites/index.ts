/**
 * The benchmark suites. To add one, write ./<name>.ts exporting a `Suite` (`{ name, description,
 * run(ctx) }`, see ../harness.ts) and list it here: `lmkit-bench <name>` runs it, `lmkit-bench all`
 * runs every suite.
 */
import type { Suite } from '../harness.js';
import { attention } from './attention.js';
import { decoding } from './decoding.js';
import { embeddings } from './embeddings.js';
import { matmul } from './matmul.js';
import { recurrent } from './recurrent.js';
import { reformer } from './reformer.js';
import { tokenizers } from './tokenizers.js';

export const SUITES: readonly Suite[] = [matmul, decoding, attention, embeddings, recurrent, reformer, tokenizers];
