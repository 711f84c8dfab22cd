import { jsonNestsDeeperThan } from '../../../src/common/http/json-body';

describe('jsonNestsDeeperThan', () => {
  it('measures arrays and objects alike', () => {
    expect(jsonNestsDeeperThan('[[[1]]]', 3)).toBe(false);
    expect(jsonNestsDeeperThan('[[[[1]]]]', 3)).toBe(true);
    expect(jsonNestsDeeperThan('{"a":{"b":[{"c":1}]}}', 4)).toBe(false);
    expect(jsonNestsDeeperThan('{"a":{"b":[{"c":1}]}}', 3)).toBe(true);
  });

  it('counts siblings once, not cumulatively', () => {
    expect(jsonNestsDeeperThan(`[${'[1],'.repeat(1000)}[1]]`, 2)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonNestsDeeperThan(`{"a":"${'[{'.repeat(100)}"}`, 1)).toBe(false);
    expect(jsonNestsDeeperThan(`{"a":"\\"[[[[\\\\"}`, 1)).toBe(false);
    expect(jsonNestsDeeperThan(`{"a":"\\\\","b":[[1]]}`, 2)).toBe(true);
  });

  it('answers on a 100,000-level body without recursing', () => {
    expect(jsonNestsDeeperThan('['.repeat(100_000), 32)).toBe(true);
  });
});
