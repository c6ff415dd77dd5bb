/** A side panel over the page (details); Escape or the close button closes it, focus moves into it. */
import { useEffect, useRef, type ReactNode } from 'react';
import { useCommon } from '../i18n';

export function Drawer({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const t = useCommon();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    ref.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      previous?.focus();
    };
  }, [onClose]);
  return (
    <>
      <div className="drawer-backdrop" onClick={onClose} />
      <div className="drawer" role="dialog" aria-modal="true" aria-label={title} tabIndex={-1} ref={ref}>
        <div className="page-header">
          <h2>{title}</h2>
          <button type="button" onClick={onClose}>
            {t('close')}
          </button>
        </div>
        {children}
      </div>
    </>
  );
}
