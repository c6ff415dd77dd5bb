/** Compliance findings as a list: code, message and the rule's citation, errors in red. */
import { useMessages } from '../i18n';
import type { Finding } from '../types';
import { PM } from './playground-text';

export function Findings({ findings }: { findings: Finding[] }) {
  const t = useMessages(PM);
  if (findings.length === 0) return <span className="muted">{t('noFindings')}</span>;
  return (
    <ul className="findings">
      {findings.map((x, i) => (
        <li key={`${x.code}-${i}`} className={`finding-${x.severity}`}>
          <strong>{x.code}</strong>: {x.message} <span className="muted">({x.citation})</span>
        </li>
      ))}
    </ul>
  );
}
