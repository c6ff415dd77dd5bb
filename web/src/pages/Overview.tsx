import { PageHeader } from '../components/Layout';
import { useCommon } from '../i18n';

export function Overview() {
  const t = useCommon();
  return <PageHeader title={t('navOverview')} />;
}
