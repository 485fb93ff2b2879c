/* Durations as `trace` subcommands print them: "36 s", "4.5 min", "2 days". */

export function days(seconds: number): string {
  if (seconds < 86400) return human(seconds);
  const d = +(seconds / 86400).toFixed(2);
  return `${d} day${d === 1 ? '' : 's'}`;
}

export function human(s: number): string {
  if (s < 120) return `${+s.toFixed(1)} s`;
  if (s < 7200) return `${+(s / 60).toFixed(1)} min`;
  if (s < 2 * 86400) return `${+(s / 3600).toFixed(1)} h`;
  return `${+(s / 86400).toFixed(1)} days`;
}
