import { ConfigError } from '@lmkit/tensor';
import { describe, expect, it } from 'vitest';
import { generate } from './generate.js';
import { resolveOptions, type GenerateOptions } from './options.js';
import { hashTable, TableModel } from './testing/toy-models.js';

const bad = (options: GenerateOptions) => () => resolveOptions(options);

describe('options: bad input is a ConfigError naming the option and its range', () => {
  it('topP outside (0, 1]', () => {
    for (const topP of [0, -0.5, 1.5, NaN]) expect(bad({ doSample: true, topP })).toThrow(ConfigError);
    expect(bad({ doSample: true, topP: 0 })).toThrow('topP: expected a number in (0, 1], got 0');
    expect(bad({ doSample: true, topP: 1.5 })).toThrow('topP: expected a number in (0, 1], got 1.5');
  });

  it('temperature ≤ 0', () => {
    expect(bad({ doSample: true, temperature: 0 })).toThrow('temperature: expected a finite number > 0 (for greedy decoding set doSample: false), got 0');
    expect(bad({ doSample: true, temperature: -1 })).toThrow(ConfigError);
  });

  it('numBeams < 1, numReturnSequences > numBeams', () => {
    expect(bad({ numBeams: 0 })).toThrow('numBeams: expected an integer ≥ 1, got 0');
    expect(bad({ numBeams: 2.5 })).toThrow(ConfigError);
    expect(bad({ numBeams: 3, numReturnSequences: 4 })).toThrow('numReturnSequences: expected at most numBeams (3), got 4');
    expect(bad({ numReturnSequences: 2 })).toThrow(/numReturnSequences: expected at most numBeams \(1\)/);
  });

  it('sampling combined with options that need beams, and beam options without beams', () => {
    expect(bad({ doSample: true, numBeams: 4 })).toThrow('doSample: expected false when numBeams > 1 (beam sampling is not supported), got true');
    expect(bad({ doSample: true, lengthPenalty: 2 })).toThrow('lengthPenalty: expected 1 unless numBeams > 1 (it only affects beam search), got 2');
    expect(bad({ doSample: true, earlyStopping: true })).toThrow(/earlyStopping: expected false unless numBeams > 1/);
    expect(bad({ doSample: true, numBeamGroups: 2, diversityPenalty: 1 })).toThrow(/numBeamGroups: expected 1 unless numBeams > 1/);
    expect(bad({ earlyStopping: 'never' })).toThrow(ConfigError);
  });

  it('sampling options without doSample', () => {
    for (const [key, value] of [['temperature', 0.7], ['topK', 50], ['topP', 0.9], ['minP', 0.1], ['typicalP', 0.9], ['epsilonCutoff', 0.01], ['seed', 1]] as const) {
      expect(bad({ [key]: value })).toThrow(new RegExp(`^${key}: expected .*doSample is true`));
    }
    // The value at which an option does nothing is accepted, so a UI can always pass every knob.
    expect(() => resolveOptions({ temperature: 1, topK: 0, topP: 1, minP: 0, lengthPenalty: 1, earlyStopping: false })).not.toThrow();
  });

  it('diverse beam search needs groups dividing numBeams and a positive diversity penalty', () => {
    expect(bad({ numBeams: 4, numBeamGroups: 3, diversityPenalty: 1 })).toThrow('numBeamGroups: expected a divisor of numBeams (4), got 3');
    expect(bad({ numBeams: 4, numBeamGroups: 2 })).toThrow(/diversityPenalty: expected a number > 0 when numBeamGroups > 1/);
    expect(bad({ numBeams: 4, diversityPenalty: 1 })).toThrow(/diversityPenalty: expected 0 unless numBeamGroups > 1/);
    expect(bad({ numBeams: 4, numBeamGroups: 8, diversityPenalty: 1 })).toThrow(/numBeamGroups: expected an integer in \[1, 4\]/);
  });

  it('lengths, EOS, stop strings and the rest', () => {
    expect(bad({ maxNewTokens: 0 })).toThrow('maxNewTokens: expected an integer ≥ 1, got 0');
    expect(bad({ maxNewTokens: 5, minNewTokens: 6, eosTokenId: 0 })).toThrow('minNewTokens: expected an integer in [0, 5], got 6');
    expect(bad({ minNewTokens: 2 })).toThrow(/minNewTokens: expected 0 unless eosTokenId is set/);
    expect(bad({ eosTokenId: -1 })).toThrow(/eosTokenId/);
    expect(bad({ eosTokenId: [] })).toThrow(/eosTokenId/);
    expect(bad({ stopStrings: ['x'] })).toThrow(/decode: expected a function/);
    expect(bad({ stopStrings: [''], decode: String })).toThrow(/stopStrings/);
    expect(bad({ decode: String })).toThrow(/decode: expected undefined unless stopStrings is set/);
    expect(bad({ repetitionPenalty: 0 })).toThrow(/repetitionPenalty: expected a finite number > 0/);
    expect(bad({ presencePenalty: 3 })).toThrow(/presencePenalty: expected a number in \[-2, 2\]/);
    expect(bad({ noRepeatNgramSize: -1 })).toThrow(/noRepeatNgramSize/);
    expect(bad({ badWordsIds: [[1], []] })).toThrow(/badWordsIds\[1\]/);
    expect(bad({ doSample: 'yes' as unknown as boolean })).toThrow('doSample: expected true or false, got "yes"');
    expect(bad({ numBeams: 2, earlyStopping: 'always' as 'never' })).toThrow(/earlyStopping: expected true, false or 'never'/);
    expect(bad({ doSample: true, seed: 1.5 })).toThrow(/seed: expected an integer/);
  });

  it('unknown option names (e.g. Hugging Face snake_case) are rejected, not ignored', () => {
    expect(bad({ top_p: 0.9 } as GenerateOptions)).toThrow(/^top_p: expected a known option \(maxNewTokens, /);
  });

  it('generate() checks the prompt, the model and EOS ids against the vocabulary', async () => {
    const model = new TableModel(hashTable(4, 1));
    await expect(generate(model, [])).rejects.toThrow(/prompt: expected a non-empty array/);
    await expect(generate(model, [[1], []])).rejects.toThrow(/prompt\[1\]: expected a non-empty array of token ids/);
    await expect(generate(model, [1, -2])).rejects.toThrow(ConfigError);
    await expect(generate({} as TableModel, [1])).rejects.toThrow(/model: expected an object with step/);
    await expect(generate({ step: model.step.bind(model) }, [1], { numBeams: 2 })).rejects.toThrow(/numBeams: expected 1 for a model without reorder/);
    await expect(generate(model, [1], { eosTokenId: 4 })).rejects.toThrow('eosTokenId: expected token ids in [0, 3] (the vocabulary size is 4), got 4');
  });
});
