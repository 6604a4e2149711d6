/**
 * The source text of each element of a JSON array, exactly as written (without the whitespace around
 * it), so a dead letter can keep the bytes a machine sent rather than a re-serialization of the
 * parsed value (`1.50` stays `1.50`, key order and escapes stay as sent). Call it on text that
 * JSON.parse accepted as an array; returns null for anything else.
 */
export function jsonArrayElementTexts(text: string): string[] | null {
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  skipSpace();
  if (text[i] !== '[') return null;
  i++;
  const elements: string[] = [];
  let depth = 0;
  let start = -1;
  for (; i < text.length; i++) {
    const c = text[i] as string;
    if (start < 0 && !' \t\n\r'.includes(c)) {
      if (c === ']' && depth === 0) return elements; // empty array
      start = i;
    }
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '[' || c === '{') depth++;
    else if ((c === ']' || c === '}') && depth > 0) depth--;
    else if ((c === ',' || c === ']') && depth === 0) {
      elements.push(text.slice(start, i).trimEnd());
      start = -1;
      if (c === ']') return elements;
    }
  }
  return null;
}
