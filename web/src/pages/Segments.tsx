import { PageHeader } from '../components/Layout';
import { useCommon } from '../i18n';

export function Segments() {
  const t = useCommon();
  return <PageHeader title={t('navSegments')} />;
}
