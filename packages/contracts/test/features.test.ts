import fs from 'node:fs';
import path from 'node:path';
import { FEATURE_NAMES } from '@tickstream/contracts';

describe('FEATURE_NAMES', () => {
  it('matches the feature fields of features.v1, in order', () => {
    const schema = JSON.parse(
      fs.readFileSync(path.join(__dirname, '../../../schemas/features.v1.avsc'), 'utf8'),
    ) as { fields: { name: string }[] };
    const names = schema.fields.map((f) => f.name);
    const first = names.indexOf('ret_1');
    expect(names.slice(first, first + FEATURE_NAMES.length)).toEqual([...FEATURE_NAMES]);
  });
});
