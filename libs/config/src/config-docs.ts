/**
 * Renders the configuration reference (the README's table) from the same section definitions the services
 * load, so docs and behaviour cannot drift apart: a unit test compares the README with this output.
 */
import type { ConfigSection } from './config-section';
import type { EnvVar } from './env-var';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySection = ConfigSection<Record<string, EnvVar<any>>, unknown>;

export function renderConfigTable(sections: { section: AnySection; usedBy: string }[]): string {
  const lines: string[] = [];
  for (const { section, usedBy } of sections) {
    lines.push(`**${section.title}** (${usedBy})`, '', '| variable | default | unit | meaning |', '|---|---|---|---|');
    for (const v of Object.values(section.vars)) {
      const def = v.docDefault ?? (v.defaultValue === null ? '*(required)*' : v.defaultValue === '' ? '*(empty)*' : v.defaultValue);
      lines.push(`| \`${v.name}\` | ${def.includes('*') ? def : `\`${def}\``} | ${v.unit} | ${v.description.replace(/\|/g, '\\|')} |`);
    }
    lines.push('');
  }
  return lines.join('\n').trimEnd() + '\n';
}
