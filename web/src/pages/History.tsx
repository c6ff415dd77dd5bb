import { PageHeader } from '../components/Layout';
import { useCommon } from '../i18n';

export function History() {
  const t = useCommon();
  return <PageHeader title={t('navHistory')} />;
}
