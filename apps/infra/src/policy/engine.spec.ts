import { block, blocks, isOneOf, listOf, scalarText } from './engine';

describe('GIVEN the attribute readers the rules narrow Terraform JSON with', () => {
  it('THEN block reads a nested block written as an object or a one-element list', () => {
    expect(block({ enabled: true })).toEqual({ enabled: true });
    expect(block([{ enabled: true }, { enabled: false }])).toEqual({ enabled: true });
    expect(block([])).toBeUndefined();
    expect(block('${aws_kms_key.k.arn}')).toBeUndefined();
    expect(block(null)).toBeUndefined();
  });

  it('THEN blocks lists the object blocks and drops anything else', () => {
    expect(blocks({ name: 'a' })).toEqual([{ name: 'a' }]);
    expect(blocks([{ name: 'a' }, 'x', null, { name: 'b' }])).toEqual([
      { name: 'a' },
      { name: 'b' },
    ]);
    expect(blocks(undefined)).toEqual([]);
  });

  it('THEN listOf keeps a list, wraps a single value and reads unset as empty', () => {
    expect(listOf(['a', 'b'])).toEqual(['a', 'b']);
    expect(listOf('subnet-1')).toEqual(['subnet-1']);
    expect(listOf(undefined)).toEqual([]);
    expect(listOf(null)).toEqual([]);
  });

  it('THEN isOneOf matches strings only, so a list or object attribute never matches', () => {
    const anywhere = ['0.0.0.0/0', '::/0'];
    expect(isOneOf('0.0.0.0/0', anywhere)).toBe(true);
    expect(isOneOf('10.0.0.0/16', anywhere)).toBe(false);
    expect(isOneOf(['0.0.0.0/0'], anywhere)).toBe(false);
    expect(isOneOf(undefined, anywhere)).toBe(false);
  });

  it('THEN scalarText writes numbers and strings alike and never stringifies an object', () => {
    expect(scalarText(-1)).toBe('-1');
    expect(scalarText('-1')).toBe('-1');
    expect(scalarText(true)).toBe('true');
    expect(scalarText({ protocol: 'tcp' })).toBeUndefined();
    expect(scalarText(undefined)).toBeUndefined();
  });
});
