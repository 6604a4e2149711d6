import { describe, expect, test } from 'vitest';
import { jsonArrayElementTexts } from './json-array-elements.ts';

describe('jsonArrayElementTexts', () => {
  test('each element exactly as written, whatever its kind', () => {
    const text = ' [ {"a": 1.50, "b":"x,]}\\"y"} ,\n 2 , "s[t{r" ,null,[1,[2,{}]] , {} ]  ';
    const parts = jsonArrayElementTexts(text);
    expect(parts).toEqual(['{"a": 1.50, "b":"x,]}\\"y"}', '2', '"s[t{r"', 'null', '[1,[2,{}]]', '{}']);
    // Each part is the same value JSON.parse found at that index.
    expect(parts?.map((p) => JSON.parse(p))).toEqual(JSON.parse(text));
  });

  test('an empty array has no elements; anything else is not an array', () => {
    expect(jsonArrayElementTexts('[ ]')).toEqual([]);
    expect(jsonArrayElementTexts('{"a":[1]}')).toBeNull();
    expect(jsonArrayElementTexts('[1, 2')).toBeNull();
  });

  test('unicode escapes and surrogates are kept as sent', () => {
    const text = '[{"id":"\\u00e9\\ud83d\\ude00"}, {"id":"é😀"}]';
    expect(jsonArrayElementTexts(text)).toEqual(['{"id":"\\u00e9\\ud83d\\ude00"}', '{"id":"é😀"}']);
  });
});
