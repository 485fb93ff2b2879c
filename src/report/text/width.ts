import stringWidth from 'string-width';

/*
 * Terminal text measured in display columns, not UTF-16 units: a wide character (CJK, most emoji)
 * takes 2 columns, a combining mark 0, an ANSI colour code 0. Everything printed to the terminal is
 * laid out with these, so no line is ever wider than the terminal (issue 18).
 */

/** The columns `text` takes on a terminal. Example: 'ab' → 2, '日本' → 4, 'e\u0301' → 1. */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/** `text` padded with spaces to `width` display columns, on the right (or the left with `right`). */
export function pad(text: string, width: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? fill + text : text + fill;
}

/**
 * `text` broken at spaces into lines of at most `width` display columns, every line after the
 * first indented by `indent` (the first by `first`). A word wider than a line is cut into pieces
 * that fit: a line never overflows. Example: wrap('aa bb cc', 5) → ['aa bb', 'cc'].
 */
export function wrap(text: string, width: number, indent = '', first = ''): string[] {
  const lines: string[] = [];
  let cur = first;
  let fresh = true;
  const room = (prefix: string) => Math.max(1, width - displayWidth(prefix));
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const sep = fresh ? '' : ' ';
    if (displayWidth(cur) + displayWidth(sep) + displayWidth(word) <= width) {
      cur += sep + word;
      fresh = false;
      continue;
    }
    if (!fresh) {
      lines.push(cur);
      cur = indent;
    }
    // A word too long for a whole line: as many columns as fit, then the rest on the next lines.
    let rest = word;
    while (displayWidth(cur) + displayWidth(rest) > width) {
      const [head, tail] = cut(rest, room(cur));
      lines.push(cur + head);
      cur = indent;
      rest = tail;
    }
    cur += rest;
    fresh = false;
  }
  if (!fresh || cur.trim() !== '') lines.push(cur);
  return lines;
}

/** The longest prefix of `word` within `columns` (at least one character), and the rest. */
function cut(word: string, columns: number): [string, string] {
  const chars = [...word];
  let w = 0;
  let i = 0;
  for (; i < chars.length; i++) {
    const cw = displayWidth(chars[i]!);
    if (i > 0 && w + cw > columns) break;
    w += cw;
  }
  return [chars.slice(0, i).join(''), chars.slice(i).join('')];
}

/**
 * Every line of `text` within `width` columns: a longer line is wrapped at spaces, its
 * continuation lines indented two spaces deeper than it. Lines that fit are left exactly as they are.
 */
export function fitLines(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => {
      if (displayWidth(line) <= width) return [line];
      const lead = /^ */.exec(line)![0];
      return wrap(line.slice(lead.length), width, lead + '  ', lead);
    })
    .join('\n');
}
