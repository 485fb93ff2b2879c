/*
 * Process warnings as one line of ours (design §7: one clear line on stderr). The AWS SDK for
 * JavaScript v3 (3.1164 here; its package allows Node ≥ 20) emits a 7-line
 * `NodeVersionSupportWarning` on Node < 22, once per process, when the first client is made:
 * its releases after the first week of January 2027 will require Node 22. servesim runs on
 * Node 20.19+ (package.json `engines`); the note says what the SDK's text says, in one line.
 */

/** The line printed for a process warning (without the `servesim: ` prefix or the newline). */
export function warningLine(w: Error): string {
  const text = w.message.trim();
  const sdk = /^NodeVersionSupportWarning:.*?require node >=(\d+)/s.exec(text);
  if (sdk)
    return `note: AWS SDK releases after January 2027 need Node ${sdk[1]} or later; this is Node ${process.version} (servesim works on it; upgrade Node to keep getting SDK updates)`;
  const first = text.split('\n')[0]!;
  return `warning: ${w.name !== 'Warning' ? `${w.name}: ` : ''}${first}`;
}

/**
 * Replaces Node's default warning printer (several lines, a hint about --trace-warnings) with
 * `warningLine`, each distinct line once.
 */
export function installWarningLine(write: (line: string) => void): void {
  const seen = new Set<string>();
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    const line = warningLine(w);
    if (seen.has(line)) return;
    seen.add(line);
    write(`servesim: ${line}\n`);
  });
}
