import { PageHeader } from '../components/Layout';
import { useCommon } from '../i18n';

export function Users() {
  const t = useCommon();
  return <PageHeader title={t('navUsers')} />;
}
