import { describe, expect, it } from 'vitest';
import { PythonDict, PythonFloat, pythonJsonDumps } from './python-json.js';
import { parsePythonJson } from './python-json-parse.js';
import { python2Order, pythonSorted } from './python-order.js';

// Every expected string below was printed by CPython 2.7.18 (64-bit), the runtime HIL needs.
describe('Python 2 emulation', () => {
  it('iterates dicts and sets in CPython 2 hash order, resizes included', () => {
    expect(python2Order(['type', 'msg'])).toEqual(['msg', 'type']);
    expect(python2Order(['node', 'nic', 'networks'])).toEqual(['node', 'nic', 'networks']);
    expect(python2Order(['DELETE', 'OPTIONS'])).toEqual(['OPTIONS', 'DELETE']);
    expect(python2Order(['GET', 'HEAD', 'OPTIONS'])).toEqual(['HEAD', 'OPTIONS', 'GET']);
    expect(python2Order(['PUT', 'DELETE', 'GET', 'HEAD', 'OPTIONS'])).toEqual([
      'PUT',
      'HEAD',
      'GET',
      'OPTIONS',
      'DELETE',
    ]);
    expect(python2Order('abcdefghij'.split(''))).toEqual(['a', 'c', 'b', 'e', 'd', 'g', 'f', 'i', 'h', 'j']);
    expect(python2Order(['zebra', 'é', '日本', '😀x', ''])).toEqual(['é', '日本', '😀x', 'zebra', '']);
  });

  it('sorts by code point, as sorted() does', () => {
    expect(pythonSorted(['\uff5e', '😀', 'b', 'B'])).toEqual(['B', 'b', '\uff5e', '😀']);
  });

  it('reads bodies as json.loads does and writes them back as json.dumps does', () => {
    const source =
      '{"b": [1, 1.0, 1e16, 1E400, -0.0, 0.0001, 0.00001, 123456789012345678901234567890, NaN, -Infinity], ' +
      '"a": {"z": "\\u00e9\\n\\u007f\\ud83d\\ude00", "y": null, "x": true}, "b2": 2.5e-7}';
    const value = parsePythonJson(source);
    expect(value).toBeInstanceOf(PythonDict);
    expect(pythonJsonDumps(value)).toBe(
      '{"a": {"y": null, "x": true, "z": "\\u00e9\\n\\u007f\\ud83d\\ude00"}, "b": [1, 1.0, 1e+16, Infinity, -0.0, ' +
        '0.0001, 1e-05, 123456789012345678901234567890, NaN, -Infinity], "b2": 2.5e-07}',
    );
    expect(pythonJsonDumps(value, { sortKeys: true })).toBe(
      '{"a": {"x": true, "y": null, "z": "\\u00e9\\n\\u007f\\ud83d\\ude00"}, "b": [1, 1.0, 1e+16, Infinity, -0.0, ' +
        '0.0001, 1e-05, 123456789012345678901234567890, NaN, -Infinity], "b2": 2.5e-07}',
    );
  });

  it('writes floats as repr() does', () => {
    const floats = [5e-324, 1.7976931348623157e308, 100, 1e15, 1.5e15, 123.456, -1.25e-5, 0.1 + 0.2];
    expect(pythonJsonDumps(floats.map((value) => new PythonFloat(value)))).toBe(
      '[5e-324, 1.7976931348623157e+308, 100.0, 1000000000000000.0, 1500000000000000.0, 123.456, -1.25e-05, 0.30000000000000004]',
    );
  });

  it('refuses what json.loads refuses', () => {
    for (const bad of ['', ' ', '{', '[1,]', '{"a" 1}', "{'a': 1}", '01', '1.', '"\u0001"', '"\\x"', 'nul', '1 2']) {
      expect(() => parsePythonJson(bad), bad).toThrow(SyntaxError);
    }
    expect(parsePythonJson(' [true, false, null, "a\\/b"] ')).toEqual([true, false, null, 'a/b']);
  });
});
